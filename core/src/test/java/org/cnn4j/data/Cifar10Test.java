package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {

    @TempDir
    Path dir;

    /** {@code count} records with labels label0, label0+1, ... and pixel p of record r = (r + 3p) mod 256. */
    private static byte[] records(int count, int label0) {
        byte[] data = new byte[count * 3073];
        for (int r = 0; r < count; r++) {
            data[r * 3073] = (byte) ((label0 + r) % 10);
            for (int p = 0; p < 3072; p++) {
                data[r * 3073 + 1 + p] = (byte) (r + 3 * p);
            }
        }
        return data;
    }

    @Test
    void readsAndConcatenatesBatches() throws Exception {
        IdxFiles.write(dir.resolve("test_batch.bin"), records(2, 8));
        ArrayDataset test = Cifar10.test(dir);
        assertEquals(2, test.size());
        assertEquals(new ImageShape(3, 32, 32), test.shape());
        assertEquals(8, test.get(0).label());
        assertEquals(9, test.get(1).label());
        float[] image = test.get(1).image();
        assertEquals(1f, image[0]);                       // red (0,0)
        assertEquals((1 + 3 * 1024) & 0xFF, image[1024]); // green (0,0)
        assertEquals((1 + 3 * 3071) & 0xFF, image[3071]); // blue (31,31)

        Path a = IdxFiles.write(dir.resolve("a.bin"), records(3, 0));
        Path b = IdxFiles.write(dir.resolve("b.bin"), records(1, 5));
        ArrayDataset both = Cifar10.read(List.of(a, b));
        assertEquals(4, both.size());
        assertEquals(5, both.get(3).label());
        assertEquals("cat", both.classNames().get(3));
    }

    @Test
    void lengthThatIsNotAWholeNumberOfRecordsIsRefused() throws Exception {
        byte[] data = records(2, 0);
        Path file = IdxFiles.write(dir.resolve("data_batch_1.bin"), Arrays.copyOf(data, data.length - 1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.read(List.of(file)));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("length 6145")
                && e.getMessage().contains("3073"), e.getMessage());
        Path empty = IdxFiles.write(dir.resolve("empty.bin"), new byte[0]);
        assertThrows(DataFormatException.class, () -> Cifar10.read(List.of(empty)));
    }

    @Test
    void labelAboveNineIsRefused() throws Exception {
        byte[] data = records(2, 0);
        data[3073] = 10;
        Path file = IdxFiles.write(dir.resolve("bad.bin"), data);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.read(List.of(file)));
        assertTrue(e.getMessage().contains("bad.bin: label 10 of record 1"), e.getMessage());
    }

    @Test
    void missingBatchIsNamed() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Cifar10.train(dir));
        assertTrue(e.getMessage().contains("data_batch_1.bin"), e.getMessage());
    }
}
