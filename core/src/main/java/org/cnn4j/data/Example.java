package org.cnn4j.data;

/**
 * One labelled image: {@code image} holds {@code shape.size()} floats in CHW order.
 * Readers produce raw pixel values (0..255 as floats); {@link ToUnit} and {@link Normalize} rescale them.
 */
public record Example(float[] image, ImageShape shape, int label) {

    public Example {
        if (image.length != shape.size()) {
            throw new IllegalArgumentException("Example: image of shape " + shape + " needs " + shape.size()
                    + " floats, got " + image.length);
        }
    }
}
