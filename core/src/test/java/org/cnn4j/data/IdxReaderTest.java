package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRawAndGzipFilesToTheSameDataset() throws Exception {
        Path rawImages = IdxFiles.write(dir.resolve("raw-images"), IdxFiles.images(3, 2, 5));
        Path rawLabels = IdxFiles.write(dir.resolve("raw-labels"), IdxFiles.labels(2, 0, 9));
        Path gzImages = IdxFiles.write(dir.resolve("images.gz"), IdxFiles.gzip(IdxFiles.images(3, 2, 5)));
        Path gzLabels = IdxFiles.write(dir.resolve("labels.gz"), IdxFiles.gzip(IdxFiles.labels(2, 0, 9)));
        for (Path[] files : new Path[][] {{rawImages, rawLabels}, {gzImages, gzLabels}}) {
            ArrayDataset ds = IdxReader.readDataset(files[0], files[1], FashionMnist.CLASS_NAMES);
            assertEquals(3, ds.size());
            assertEquals(new ImageShape(1, 2, 5), ds.shape());
            Example second = ds.get(1);
            assertEquals(0, second.label());
            assertEquals(9, ds.get(2).label());
            for (int p = 0; p < 10; p++) {
                assertEquals(IdxFiles.pixel(1, p, 2, 5), second.image()[p], 0f, "pixel " + p);
            }
        }
    }

    @Test
    void wrongMagicNamesExpectedAndFound() throws Exception {
        Path labelsAsImages = IdxFiles.write(dir.resolve("swapped.idx"), IdxFiles.labels(1, 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(labelsAsImages));
        assertTrue(e.getMessage().contains("swapped.idx"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("found 0x00000801"), e.getMessage());

        Path imagesAsLabels = IdxFiles.write(dir.resolve("swapped2.gz"), IdxFiles.gzip(IdxFiles.images(1, 2, 2)));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(imagesAsLabels));
        assertTrue(e.getMessage().contains("expected 0x00000801") && e.getMessage().contains("found 0x00000803"),
                e.getMessage());
    }

    @Test
    void rawDimensionsThatDisagreeWithFileLengthAreRefusedBeforeAllocating() throws Exception {
        byte[] data = IdxFiles.images(2, 3, 3);
        Path shortFile = IdxFiles.write(dir.resolve("short"), Arrays.copyOf(data, data.length - 1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(shortFile));
        assertTrue(e.getMessage().contains("short") && e.getMessage().contains("2 images of 3x3")
                && e.getMessage().contains("34 bytes") && e.getMessage().contains("file is 33 bytes"), e.getMessage());

        // a header claiming 2^31-ish bytes must fail on the length check, not with OutOfMemoryError
        ByteBuffer huge = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(60000).putInt(1000)
                .putInt(1000);
        Path hugeFile = IdxFiles.write(dir.resolve("huge"), huge.array());
        e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(hugeFile));
        assertTrue(e.getMessage().contains("more than one array can hold"), e.getMessage());
        ByteBuffer big = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(60000).putInt(28)
                .putInt(28);
        Path bigFile = IdxFiles.write(dir.resolve("big"), big.array());
        e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(bigFile));
        assertTrue(e.getMessage().contains("file is 16 bytes long"), e.getMessage());
    }

    @Test
    void gzipDimensionsBeyondWhatTheCompressedSizeCanHoldAreRefused() throws Exception {
        ByteBuffer big = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(60000).putInt(28)
                .putInt(28);
        Path file = IdxFiles.write(dir.resolve("big.gz"), IdxFiles.gzip(big.array()));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("big.gz") && e.getMessage().contains("cannot expand"), e.getMessage());
    }

    @Test
    void gzipShorterThanTheHeaderDeclaresIsTruncated() throws Exception {
        byte[] data = IdxFiles.images(2, 3, 3);
        // a well-formed gzip of too little data
        Path few = IdxFiles.write(dir.resolve("few.gz"), IdxFiles.gzip(Arrays.copyOf(data, data.length - 5)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(few));
        assertTrue(e.getMessage().contains("few.gz") && e.getMessage().contains("truncated"), e.getMessage());
        // a gzip file cut short
        byte[] gz = IdxFiles.gzip(IdxFiles.images(50, 10, 10));
        Path cut = IdxFiles.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains("cut.gz") && e.getMessage().contains("truncated gzip"), e.getMessage());
    }

    @Test
    void corruptGzipIsReported() throws Exception {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(50, 10, 10));
        byte[] corrupt = gz.clone();
        corrupt[gz.length - 6] ^= 0x5A; // inside the CRC-32 trailer
        Path crc = IdxFiles.write(dir.resolve("crc.gz"), corrupt);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(crc));
        assertTrue(e.getMessage().contains("crc.gz") && e.getMessage().contains("corrupt gzip"), e.getMessage());

        byte[] badHeader = gz.clone();
        badHeader[2] = 7; // compression method must be 8 (deflate)
        Path header = IdxFiles.write(dir.resolve("header.gz"), badHeader);
        e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(header));
        assertTrue(e.getMessage().contains("header.gz") && e.getMessage().contains("corrupt gzip"), e.getMessage());
    }

    @Test
    void trailingBytesAreRefused() throws Exception {
        byte[] data = IdxFiles.images(1, 2, 2);
        Path file = IdxFiles.write(dir.resolve("extra.gz"), IdxFiles.gzip(Arrays.copyOf(data, data.length + 3)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("3 bytes after the 4 data bytes"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws Exception {
        Path images = IdxFiles.write(dir.resolve("img.gz"), IdxFiles.gzip(IdxFiles.images(3, 2, 2)));
        Path labels = IdxFiles.write(dir.resolve("lab.gz"), IdxFiles.gzip(IdxFiles.labels(1, 2)));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.readDataset(images, labels, FashionMnist.CLASS_NAMES));
        assertTrue(e.getMessage().contains("img.gz has 3 images but") && e.getMessage().contains("lab.gz has 2 labels"),
                e.getMessage());
    }

    @Test
    void labelOutsideTheClassesIsRefused() throws Exception {
        Path images = IdxFiles.write(dir.resolve("img"), IdxFiles.images(2, 2, 2));
        Path labels = IdxFiles.write(dir.resolve("lab"), IdxFiles.labels(1, 10));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.readDataset(images, labels, FashionMnist.CLASS_NAMES));
        assertTrue(e.getMessage().contains("label 10 at index 1"), e.getMessage());
    }

    @Test
    void tooShortForAHeader() throws Exception {
        Path file = IdxFiles.write(dir.resolve("tiny"), new byte[] {0, 0, 8});
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(file));
        assertTrue(e.getMessage().contains("tiny") && e.getMessage().contains("too short"), e.getMessage());
        assertArrayEquals(new byte[] {4, 5},
                IdxReader.readLabels(IdxFiles.write(dir.resolve("ok"), IdxFiles.labels(4, 5))));
    }
}
