package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cnn4j.data.ImageFolderDataset.ColorMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageValidationTest {
    @TempDir
    Path root;

    @Test
    void grayAlphaPngKeepsItsGrayLevel() throws Exception {
        Path file = TestImages.grayAlphaPng(root.resolve("a/ga.png"), 3, 2, 100);
        assertEquals(4, Files.readAllBytes(file)[25], "PNG colour type 4: gray + alpha");
        ImageFolderDataset rgb = ImageFolderDataset.open(root, ColorMode.RGB);
        float[] expected = new float[3 * 6];
        Arrays.fill(expected, 100f);
        assertArrayEquals(expected, rgb.get(0).image(), "gray 100 stays 100 in R, G and B (alpha dropped)");
        assertArrayEquals(new float[] {100, 100, 100, 100, 100, 100},
                ImageFolderDataset.open(root, ColorMode.GRAYSCALE).get(0).image());
    }

    @Test
    void imageDeclaringTooManyPixelsIsRefusedAtOpenWithoutDecoding() throws Exception {
        TestImages.grayPng(root.resolve("a/ok.png"), 2, 2, 9);
        Path huge = TestImages.declaredHugePng(root.resolve("a/huge.png"), 20000, 20000);
        assertTrue(Files.size(huge) < 100);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ImageFolderDataset.open(root, ColorMode.RGB));
        assertTrue(e.getMessage().contains("huge.png") && e.getMessage().contains("20000x20000")
                && e.getMessage().contains("400.0 megapixels") && e.getMessage().contains("at most 50.0"),
                e.getMessage());
        DataFormatException direct = assertThrows(DataFormatException.class,
                () -> ImageFiles.read(huge, ImageFiles.DEFAULT_MAX_PIXELS));
        assertTrue(e.getMessage().startsWith(direct.getMessage()), e.getMessage());
    }

    @Test
    void badImagesAreFoundAtOpenNamingTheFile() throws Exception {
        TestImages.grayPng(root.resolve("a/good.png"), 2, 2, 9);
        Files.write(root.resolve("a/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ImageFolderDataset.open(root, ColorMode.RGB));
        assertTrue(e.getMessage().startsWith(root.resolve("a/broken.png") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("--skip-bad-images"), e.getMessage());
        assertFalse(e.getMessage().matches(".*\\b(java|javax)\\.[a-z]+\\..*"), "no class names: " + e.getMessage());
    }

    @Test
    void skipBadImagesReportsEachSkippedFile() throws Exception {
        TestImages.grayPng(root.resolve("a/good.png"), 2, 2, 9);
        TestImages.grayPng(root.resolve("b/good.png"), 2, 2, 7);
        Files.writeString(root.resolve("a/text.jpg"), "not a jpeg");
        TestImages.declaredHugePng(root.resolve("b/huge.png"), 20000, 20000);
        // a truncated but well-formed-header PNG: only a full decode finds it
        byte[] whole = Files.readAllBytes(TestImages.noisePng(root.resolve("tmp.png"), 64, 64));
        Files.delete(root.resolve("tmp.png"));
        Files.write(root.resolve("b/truncated.png"), Arrays.copyOf(whole, whole.length / 2));
        List<String> skipped = new ArrayList<>();
        ImageFolderDataset ds = ImageFolderDataset.open(root, ColorMode.GRAYSCALE,
                new ImageFolderDataset.Checks(ImageFiles.DEFAULT_MAX_PIXELS, true, 2, skipped::add));
        assertEquals(2, ds.size());
        assertEquals(List.of("a", "b"), ds.classNames());
        assertArrayEquals(new float[] {7, 7, 7, 7}, ds.get(1).image());
        assertEquals(3, skipped.size(), skipped.toString());
        assertTrue(skipped.get(0).startsWith(root.resolve("a/text.jpg") + ": "), skipped.get(0));
        assertTrue(skipped.get(1).startsWith(root.resolve("b/huge.png") + ": "), skipped.get(1));
        assertTrue(skipped.get(2).startsWith(root.resolve("b/truncated.png") + ": "), skipped.get(2));
    }

    @Test
    void aClassLeftWithoutImagesAfterSkippingIsAnError() throws Exception {
        TestImages.grayPng(root.resolve("a/good.png"), 2, 2, 9);
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/text.png"), "not a png");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolderDataset.open(root,
                ColorMode.RGB, new ImageFolderDataset.Checks(ImageFiles.DEFAULT_MAX_PIXELS, true, 1, s -> { })));
        assertTrue(e.getMessage().contains(root.resolve("b").toString()) && e.getMessage().contains("no readable"),
                e.getMessage());
    }
}
