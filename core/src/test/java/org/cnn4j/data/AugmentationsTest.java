package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AugmentationsTest {

    private static Example ramp(int c, int h, int w) {
        float[] x = new float[c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 256;
        }
        return new Example(x, new ImageShape(c, h, w), 3);
    }

    @Test
    void randomResizedCropWindowsStayInTheirRanges() {
        RandomResizedCrop crop = new RandomResizedCrop(16, 0.25, 0.5, 0.5, 2.0);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            int[] box = crop.window(40, 60, rng);
            assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= 40 && box[1] + box[3] <= 60);
            double share = (double) box[2] * box[3] / (40 * 60);
            // sides are rounded to whole pixels: allow one pixel of rounding on each side
            double slack = (double) (box[2] + box[3] + 1) / (40 * 60);
            assertTrue(share >= 0.25 - slack && share <= 0.5 + slack, "share " + share);
            double ratio = (double) box[3] / box[2];
            assertTrue(ratio >= 0.5 * (1 - 1.0 / box[2]) - 1.0 / box[2] && ratio <= 2.0 * (1 + 1.0 / box[2])
                    + 1.0 / box[2], "ratio " + ratio);
        }
        Example out = crop.apply(ramp(3, 40, 60), new SplittableRandom(2));
        assertEquals(new ImageShape(3, 16, 16), out.shape());
        assertEquals(3, out.label());
    }

    @Test
    void randomResizedCropFallsBackToACentreCropOfTheNearestRatio() {
        // ratio 4..5 cannot fit in a 10x10 image at these scales: 10 tries fail, centre crop of ratio 4,
        // height round(10 / 4) = 2 with Python's round half to even, as torchvision
        RandomResizedCrop crop = new RandomResizedCrop(5, 0.9, 1.0, 4.0, 5.0);
        assertArrayEquals(new int[] {4, 0, 2, 10}, crop.window(10, 10, new SplittableRandom(3)));
        // the full image at scale 1, ratio 1: an identity when size matches
        Example whole = new RandomResizedCrop(8, 1, 1, 1, 1).apply(ramp(1, 8, 8), new SplittableRandom(4));
        assertArrayEquals(ramp(1, 8, 8).image(), whole.image());
    }

    @Test
    void colorJitterBrightnessScalesEveryPixelByOneFactorInRange() {
        ColorJitter jitter = new ColorJitter(0.4f, 0, 0, 0);
        for (int seed = 0; seed < 50; seed++) {
            Example in = new Example(new float[] {10, 20, 40, 50, 60, 80}, new ImageShape(3, 1, 2), 0);
            float[] out = jitter.apply(new Example(in.image().clone(), in.shape(), 0), new SplittableRandom(seed))
                    .image();
            float f = out[0] / 10;
            assertTrue(f >= 0.6f - 1e-6f && f <= 1.4f + 1e-6f, "factor " + f);
            for (int i = 0; i < out.length; i++) {
                assertEquals(in.image()[i] * f, out[i], 1e-4f);
            }
        }
        float[] same = {1, 2, 3};
        new ColorJitter(0, 0, 0, 0).apply(new Example(same, new ImageShape(3, 1, 1), 0), new SplittableRandom(1));
        assertArrayEquals(new float[] {1, 2, 3}, same);
        assertThrows(IllegalArgumentException.class, () -> new ColorJitter(0, 0, 0, 0.6f));
    }

    @Test
    void hueSaturationAndContrastOnKnownPixels() {
        ImageShape s = new ImageShape(3, 1, 1);
        float[] red = {255, 0, 0};
        ImageOps.hue(red, s, 0.5f);
        assertArrayEquals(new float[] {0, 255, 255}, red, 1e-3f, "red shifted half a turn is cyan");
        float[] px = {200, 100, 0};
        ImageOps.saturation(px, s, 0);
        float gray = 0.299f * 200 + 0.587f * 100;
        assertArrayEquals(new float[] {gray, gray, gray}, px, 1e-3f);
        float[] two = {0, 200};
        ImageOps.contrast(two, new ImageShape(1, 1, 2), 0.5f);
        assertArrayEquals(new float[] {50, 150}, two, 1e-4f, "halfway to the mean 100");
        float[] bright = {100, 200};
        ImageOps.brightness(bright, 1.5f);
        assertArrayEquals(new float[] {150, 255}, bright, "clamped at 255");
    }

    @Test
    void posterizeSolarizeAutoContrastEqualize() {
        float[] p = {200, 63, 255};
        ImageOps.posterize(p, 2);
        assertArrayEquals(new float[] {192, 0, 192}, p);
        float[] sol = {200, 100, 128};
        ImageOps.solarize(sol, 128);
        assertArrayEquals(new float[] {55, 100, 127}, sol);
        float[] ac = {50, 100, 150};
        ImageOps.autoContrast(ac, new ImageShape(1, 1, 3));
        assertArrayEquals(new float[] {0, 127.5f, 255}, ac, 1e-4f);
        // PIL's equalize: 256 pixels, 128 of value 10 and 128 of 20: step = (256 - 128) / 255 = 0 -> unchanged;
        // 510 pixels (255 each of 10, 20, 30 would need 765): use 3 values of 170 pixels each
        float[] eq = new float[510];
        for (int i = 0; i < 510; i++) {
            eq[i] = i < 170 ? 10 : i < 340 ? 20 : 30;
        }
        ImageOps.equalize(eq, new ImageShape(1, 1, 510));
        // step = (510 - 170) / 255 = 1; lut[v] = cumulative count below v (plus step / 2 = 0)
        assertEquals(0f, eq[0]);
        assertEquals(170f, eq[200]);
        assertEquals(255f, eq[400], "340 clamped to 255");
    }

    @Test
    void geometricOperationsMovePixelsAsPil() {
        ImageShape s = new ImageShape(1, 3, 3);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, ImageOps.rotate(x, s, 90),
                "90 degrees counter-clockwise");
        assertArrayEquals(new float[] {0, 1, 2, 0, 4, 5, 0, 7, 8},
                TrivialAugmentWide.apply(new Example(x.clone(), s, 0), TrivialAugmentWide.Op.TRANSLATE_X, 1, false)
                        .image(), "translated right by 1 pixel (bin 1 of 0..32 in 31 bins rounds down to 1)");
        // shear x by 1: PIL maps the pixel centre, output (x, y) reads input floor(x + 0.5 + (y + 0.5)), y
        assertArrayEquals(new float[] {2, 3, 0, 6, 0, 0, 0, 0, 0}, ImageOps.affine(x, s, 1, 1, 0, 0, 1, 0));
    }

    @Test
    void trivialAugmentPicksEveryOperationAndIsSeeded() {
        Set<TrivialAugmentWide.Op> seen = EnumSet.noneOf(TrivialAugmentWide.Op.class);
        for (int seed = 0; seed < 400; seed++) {
            seen.add(TrivialAugmentWide.Op.values()[new SplittableRandom(seed).nextInt(14)]);
        }
        assertEquals(EnumSet.allOf(TrivialAugmentWide.Op.class), seen);
        TrivialAugmentWide ta = new TrivialAugmentWide();
        for (int seed = 0; seed < 100; seed++) {
            Example a = ta.apply(ramp(3, 8, 8), new SplittableRandom(seed));
            Example b = ta.apply(ramp(3, 8, 8), new SplittableRandom(seed));
            assertArrayEquals(a.image(), b.image());
            assertEquals(new ImageShape(3, 8, 8), a.shape());
            for (float v : a.image()) {
                assertTrue(v >= 0 && v <= 255, "value " + v);
            }
        }
        assertEquals(8.0, TrivialAugmentWide.magnitude(TrivialAugmentWide.Op.POSTERIZE, 0));
        assertEquals(2.0, TrivialAugmentWide.magnitude(TrivialAugmentWide.Op.POSTERIZE, 30));
        assertEquals(135.0, TrivialAugmentWide.magnitude(TrivialAugmentWide.Op.ROTATE, 30));
    }

    @Test
    void randomErasingFillsOneRectangleOrNothing() {
        for (int seed = 0; seed < 100; seed++) {
            float[] x = new float[2 * 20 * 30];
            Arrays.fill(x, 1f);
            new RandomErasing(1.0).apply(new Example(x, new ImageShape(2, 20, 30), 0), new SplittableRandom(seed));
            int zeros = 0;
            int minY = 99, maxY = -1, minX = 99, maxX = -1;
            for (int y = 0; y < 20; y++) {
                for (int xx = 0; xx < 30; xx++) {
                    if (x[y * 30 + xx] == 0) {
                        zeros++;
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                        minX = Math.min(minX, xx);
                        maxX = Math.max(maxX, xx);
                    }
                    assertEquals(x[y * 30 + xx], x[600 + y * 30 + xx], "both channels erased alike");
                }
            }
            if (zeros > 0) {
                assertEquals((maxY - minY + 1) * (maxX - minX + 1), zeros, "a filled rectangle");
            }
        }
        float[] kept = {1, 1, 1, 1};
        new RandomErasing(0.0).apply(new Example(kept, new ImageShape(1, 2, 2), 0), new SplittableRandom(1));
        assertArrayEquals(new float[] {1, 1, 1, 1}, kept);
    }

    @Test
    void augmentationsBuildTheUsualOrder() {
        Augmentations none = Augmentations.none();
        Example raw = new Example(new float[] {0, 51, 255, 102}, new ImageShape(1, 2, 2), 1);
        Example unit = none.train(List.of(), 2, null).apply(raw, new SplittableRandom(1));
        assertArrayEquals(new float[] {0, 0.2f, 1, 0.4f}, unit.image(), 1e-7f, "only ToUnit");
        assertEquals(null, none.batch(10));
        assertTrue(new Augmentations(false, 0, false, false, false, null, 0, 0.2, 0).batch(10) instanceof MixUp);
        assertTrue(new Augmentations(false, 0, false, false, false, null, 0, 0, 1).batch(10) instanceof CutMix);
        Augmentations all = new Augmentations(true, 1, true, true, true, new float[] {0.4f, 0.4f, 0.4f, 0.1f}, 0.25,
                0.2, 1.0);
        Example out = all.train(List.of(new Resize(4)), 4, new Normalize(new float[] {0.5f}, new float[] {0.5f}))
                .apply(ramp(1, 9, 7), new SplittableRandom(3));
        assertEquals(new ImageShape(1, 4, 4), out.shape());
        for (float v : out.image()) {
            assertTrue(v >= -1f && v <= 1f, "normalised value " + v);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new Augmentations(false, 0, false, false, false, new float[] {1}, 0, 0, 0));
    }
}
