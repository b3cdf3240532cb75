package org.cnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 binary version: each record is 1 label byte followed by 3072 pixel bytes
 * (1024 red, 1024 green, 1024 blue, each 32x32 row-major), so records are already CHW.
 * Files: {@code data_batch_1.bin} .. {@code data_batch_5.bin} and {@code test_batch.bin}.
 */
public final class Cifar10 {

    /** The CIFAR-10 classes in label order (as in {@code batches.meta.txt}). */
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");
    public static final ImageShape SHAPE = new ImageShape(3, 32, 32);
    private static final int RECORD_BYTES = 1 + 3072;

    private Cifar10() {
    }

    /** The five training batches of a {@code cifar-10-batches-bin} directory. */
    public static ArrayDataset train(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            files.add(dir.resolve("data_batch_" + i + ".bin"));
        }
        return read(files);
    }

    /** The test batch of a {@code cifar-10-batches-bin} directory. */
    public static ArrayDataset test(Path dir) throws IOException {
        return read(List.of(dir.resolve("test_batch.bin")));
    }

    /** Reads and concatenates the given batch files, checking every length and label first. */
    public static ArrayDataset read(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("Cifar10.read: expected at least one batch file, got none");
        }
        long total = 0;
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "CIFAR-10 batch file not found");
            }
            long length = Files.size(file);
            if (length == 0 || length % RECORD_BYTES != 0) {
                throw new DataFormatException(file + ": length " + length + " is not a positive multiple of "
                        + RECORD_BYTES + " (1 label byte + 3072 pixel bytes per image)");
            }
            total += length / RECORD_BYTES;
        }
        if (total * SHAPE.size() > Integer.MAX_VALUE - 64) {
            throw new DataFormatException("CIFAR-10: " + total + " images in " + files
                    + " do not fit in one array");
        }
        int count = (int) total;
        byte[] pixels = new byte[count * SHAPE.size()];
        int[] labels = new int[count];
        byte[] record = new byte[RECORD_BYTES];
        int index = 0;
        for (Path file : files) {
            long records = Files.size(file) / RECORD_BYTES;
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                for (long r = 0; r < records; r++, index++) {
                    if (in.readNBytes(record, 0, RECORD_BYTES) != RECORD_BYTES) {
                        throw new DataFormatException(file + ": file shrank while reading (record " + r + ")");
                    }
                    int label = record[0] & 0xFF;
                    if (label >= CLASS_NAMES.size()) {
                        throw new DataFormatException(file + ": label " + label + " of record " + r
                                + " is outside 0..9");
                    }
                    labels[index] = label;
                    System.arraycopy(record, 1, pixels, index * SHAPE.size(), SHAPE.size());
                }
            }
        }
        return new ArrayDataset(pixels, labels, SHAPE, CLASS_NAMES);
    }
}
