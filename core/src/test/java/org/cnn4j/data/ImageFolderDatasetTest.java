package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.cnn4j.data.ImageFolderDataset.ColorMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    @TempDir
    Path root;

    /** A 2-row, 3-column RGB image whose pixel (y, x) is (10y + x, 100 + x, 200 - y). */
    private Path writeRgb(Path file) throws Exception {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                image.setRGB(x, y, ((10 * y + x) << 16) | ((100 + x) << 8) | (200 - y));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private Path writeGray(Path file, int value) throws Exception {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, 2, 2, 0, new int[] {value, value + 1, value + 2, value + 3});
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void classesAreSortedSubFoldersAndImagesConvertToChw() throws Exception {
        writeRgb(root.resolve("dog/b.png"));
        writeRgb(root.resolve("cat/a.png"));
        writeGray(root.resolve("dog/a.PNG"), 50);
        Files.writeString(root.resolve("dog/notes.txt"), "ignored");
        ImageFolderDataset ds = ImageFolderDataset.open(root, ColorMode.RGB);
        assertEquals(List.of("cat", "dog"), ds.classNames());
        assertEquals(3, ds.size());
        assertNull(ds.shape());
        Example cat = ds.get(0);
        assertEquals(0, cat.label());
        assertEquals(new ImageShape(3, 2, 3), cat.shape());
        assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12, 100, 101, 102, 100, 101, 102, 200, 200, 200, 199, 199,
            199}, cat.image());
        Example gray = ds.get(1);
        assertEquals(1, gray.label());
        assertTrue(ds.file(1).endsWith("a.PNG"));
        assertArrayEquals(new float[] {50, 51, 52, 53, 50, 51, 52, 53, 50, 51, 52, 53}, gray.image(),
                "gray replicated to RGB without gamma change");
    }

    @Test
    void grayscaleUsesPilLumaWeights() throws Exception {
        writeRgb(root.resolve("only/x.png"));
        writeGray(root.resolve("only/y.png"), 7);
        ImageFolderDataset ds = ImageFolderDataset.open(root, ColorMode.GRAYSCALE);
        Example rgb = ds.get(0);
        assertEquals(new ImageShape(1, 2, 3), rgb.shape());
        // PIL: L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16; e.g. (0,100,200) is 81.5 in floats, 82 here
        assertArrayEquals(new float[] {82, 82, 83, 84, 85, 86}, rgb.image());
        assertArrayEquals(new float[] {7, 8, 9, 10}, ds.get(1).image());
    }

    @Test
    void imageBrokenAfterOpenIsNamedWhenRead() throws Exception {
        writeRgb(root.resolve("a/good.png"));
        Path later = writeRgb(root.resolve("a/later.png"));
        ImageFolderDataset ds = ImageFolderDataset.open(root, ColorMode.RGB);
        Files.write(later, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H'});
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ds.get(1));
        assertInstanceOf(DataFormatException.class, e.getCause());
        assertTrue(e.getCause().getMessage().startsWith(later + ": "), e.getMessage());
        Files.writeString(later, "not an image");
        e = assertThrows(UncheckedIOException.class, () -> ds.get(1));
        assertTrue(e.getMessage().contains("later.png") && e.getMessage().contains("not a decodable"),
                e.getMessage());
    }

    @Test
    void imagesOfDifferentSizesBatchAfterResizeAndCenterCrop() throws Exception {
        writeRgb(root.resolve("a/wide.png"));          // 2x3
        writeGray(root.resolve("b/square.png"), 10);   // 2x2
        ImageFolderDataset ds = ImageFolderDataset.open(root, ColorMode.RGB);
        try (DataLoader loader = new DataLoader(ds, 2, false, 0, false, new Compose(new Resize(4), new CenterCrop(4)));
             DataLoader.Epoch epoch = loader.epoch(0)) {
            Batch batch = epoch.next();
            assertArrayEquals(new int[] {2, 3, 4, 4}, batch.dims());
            assertArrayEquals(new int[] {0, 1}, batch.labels());
            assertEquals(10f, batch.data()[48], 1e-6f, "top-left of the upscaled gray image");
        }
    }

    @Test
    void emptyFoldersAreRefused() throws Exception {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ImageFolderDataset.open(root, ColorMode.RGB));
        assertTrue(e.getMessage().contains("no class sub-folders"), e.getMessage());
        writeRgb(root.resolve("full/a.png"));
        Files.createDirectories(root.resolve("hollow"));
        Files.writeString(root.resolve("hollow/readme.txt"), "no images");
        e = assertThrows(DataFormatException.class, () -> ImageFolderDataset.open(root, ColorMode.RGB));
        assertTrue(e.getMessage().contains("hollow") && e.getMessage().contains("no .png"), e.getMessage());
    }
}
