package org.cnn4j.data;

/** The shape of one image in channel-major (CHW) order, as stored in {@link Example#image()}. */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("ImageShape: expected positive channels, height and width, got "
                    + channels + "x" + height + "x" + width);
        }
    }

    /** Number of floats in one image: channels * height * width. */
    public int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
