package org.cnn4j.data;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory dataset of unsigned-byte images (CHW, one image after another) and int labels.
 * Bytes keep 60,000 Fashion-MNIST images in 47 MB instead of 188 MB of floats;
 * {@link #get} widens them to floats 0..255.
 */
public final class ArrayDataset implements Dataset {

    private final byte[] pixels;
    private final int[] labels;
    private final ImageShape shape;
    private final List<String> classNames;

    public ArrayDataset(byte[] pixels, int[] labels, ImageShape shape, List<String> classNames) {
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.classNames = List.copyOf(classNames);
        if ((long) labels.length * shape.size() != pixels.length) {
            throw new IllegalArgumentException("ArrayDataset: " + labels.length + " labels of images " + shape
                    + " need " + (long) labels.length * shape.size() + " pixel bytes, got " + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classNames.size()) {
                throw new IllegalArgumentException("ArrayDataset: label " + labels[i] + " at index " + i
                        + " is outside 0.." + (this.classNames.size() - 1));
            }
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Example get(int index) {
        Objects.checkIndex(index, labels.length);
        int n = shape.size();
        float[] image = new float[n];
        int offset = index * n;
        for (int i = 0; i < n; i++) {
            image[i] = pixels[offset + i] & 0xFF;
        }
        return new Example(image, shape, labels[index]);
    }

    /** The label at {@code index} without materialising the image. */
    public int label(int index) {
        return labels[index];
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }
}
