package org.cnn4j.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for the tests. */
final class IdxFiles {

    private IdxFiles() {
    }

    static byte[] images(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put((byte) (i * 7 + 3));
        }
        return b.array();
    }

    /** Pixel {@code p} of image {@code i} in {@link #images}. */
    static int pixel(int i, int p, int rows, int cols) {
        return ((i * rows * cols + p) * 7 + 3) & 0xFF;
    }

    static byte[] labels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, data);
    }

    /** Writes a complete small Fashion-MNIST-named set: 20 train and 10 test images of 4x4. */
    static void writeFashionSet(Path dir, boolean gz, String testPrefix) throws IOException {
        String suffix = gz ? ".gz" : "";
        int[] train = new int[20];
        int[] test = new int[10];
        for (int i = 0; i < train.length; i++) {
            train[i] = i % 10;
        }
        for (int i = 0; i < test.length; i++) {
            test[i] = i;
        }
        write(dir.resolve("train-images-idx3-ubyte" + suffix), maybeGzip(images(20, 4, 4), gz));
        write(dir.resolve("train-labels-idx1-ubyte" + suffix), maybeGzip(labels(train), gz));
        write(dir.resolve(testPrefix + "-images-idx3-ubyte" + suffix), maybeGzip(images(10, 4, 4), gz));
        write(dir.resolve(testPrefix + "-labels-idx1-ubyte" + suffix), maybeGzip(labels(test), gz));
    }

    private static byte[] maybeGzip(byte[] data, boolean gz) {
        return gz ? gzip(data) : data;
    }
}
