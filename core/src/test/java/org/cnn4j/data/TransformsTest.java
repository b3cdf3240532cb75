package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformsTest {

    private static Example ramp(int c, int h, int w) {
        float[] image = new float[c * h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = i;
        }
        return new Example(image, new ImageShape(c, h, w), 3);
    }

    private static final SplittableRandom RNG = new SplittableRandom(1);

    @Test
    void toUnitAndNormalize() {
        Example e = new Example(new float[] {0, 51, 255, 102}, new ImageShape(2, 1, 2), 0);
        new Compose(new ToUnit(), new Normalize(new float[] {0.5f, 0.2f}, new float[] {0.5f, 0.4f})).apply(e, RNG);
        // channel 0: (0/255 - 0.5) / 0.5, (51/255 - 0.5) / 0.5; channel 1: (1 - 0.2) / 0.4, (0.4 - 0.2) / 0.4
        assertArrayEquals(new float[] {-1f, -0.6f, 2f, 0.5f}, e.image(), 1e-6f);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> new Normalize(new float[] {0.5f}, new float[] {0.5f}).apply(ramp(3, 1, 1), RNG));
        assertTrue(x.getMessage().contains("1 channel statistics, image is 3x1x1"), x.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
    }

    @Test
    void horizontalFlipMirrorsEveryRow() {
        Example flipped = new RandomHorizontalFlip(1.0).apply(ramp(2, 2, 3), RNG);
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9}, flipped.image());
        Example kept = new RandomHorizontalFlip(0.0).apply(ramp(1, 1, 3), RNG);
        assertArrayEquals(new float[] {0, 1, 2}, kept.image());
        int flips = 0;
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            flips += new RandomHorizontalFlip(0.5).apply(ramp(1, 1, 2), rng).image()[0] == 1f ? 1 : 0;
        }
        assertTrue(flips > 400 && flips < 600, "flips " + flips);
    }

    @Test
    void randomCropIsAZeroPaddedWindowAndCoversEveryOffset() {
        // 1x2x2 image [[0,1],[2,3]], padding 1 -> 4x4 padded, crops of 3x3 at 4 possible offsets
        Set<String> seen = new HashSet<>();
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            float[] out = new RandomCrop(3, 1).apply(ramp(1, 2, 2), rng).image();
            seen.add(java.util.Arrays.toString(out));
        }
        assertEquals(Set.of(
                "[0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 2.0, 3.0]",  // top-left window
                "[0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 2.0, 3.0, 0.0]",  // top-right
                "[0.0, 0.0, 1.0, 0.0, 2.0, 3.0, 0.0, 0.0, 0.0]",  // bottom-left
                "[0.0, 1.0, 0.0, 2.0, 3.0, 0.0, 0.0, 0.0, 0.0]"), // bottom-right
                seen);
        Example same = new RandomCrop(2, 0).apply(ramp(2, 2, 2), rng);
        assertArrayEquals(ramp(2, 2, 2).image(), same.image());
        assertEquals(3, same.label());
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(5, 1).apply(ramp(1, 2, 2), rng));
    }

    @Test
    void centerCropRoundsHalfToEvenLikeTorchvision() {
        // 1x4x5 ramp, crop 2x2: top = round(1.0) = 1, left = round(1.5) = 2
        assertArrayEquals(new float[] {7, 8, 12, 13}, new CenterCrop(2).apply(ramp(1, 4, 5), RNG).image());
        // 1x1x4 crop width 1: left = round(1.5) = 2 ; crop width 3: left = round(0.5) = 0
        assertArrayEquals(new float[] {2}, new CenterCrop(1, 1).apply(ramp(1, 1, 4), RNG).image());
        assertArrayEquals(new float[] {0, 1, 2}, new CenterCrop(1, 3).apply(ramp(1, 1, 4), RNG).image());
        // larger than the image: zero padding, (3 - 1) / 2 = 1 before; (3 - 2) / 2 = 0 before, 1 after
        Example one = new Example(new float[] {5}, new ImageShape(1, 1, 1), 0);
        assertArrayEquals(new float[] {0, 0, 0, 0, 5, 0, 0, 0, 0}, new CenterCrop(3).apply(one, RNG).image());
        assertArrayEquals(new float[] {0, 1, 0, 2, 3, 0, 0, 0, 0}, new CenterCrop(3).apply(ramp(1, 2, 2), RNG).image());
    }

    @Test
    void resizeUpMatchesPytorchBilinearAlignCornersFalse() {
        Example in = new Example(new float[] {1, 2, 3, 4}, new ImageShape(1, 2, 2), 0);
        Example out = new Resize(4).apply(in, RNG);
        assertEquals(new ImageShape(1, 4, 4), out.shape());
        // torch.nn.functional.interpolate(x, size=(4, 4), mode="bilinear", align_corners=False)
        assertArrayEquals(new float[] {
            1.00f, 1.25f, 1.75f, 2.00f,
            1.50f, 1.75f, 2.25f, 2.50f,
            2.50f, 2.75f, 3.25f, 3.50f,
            3.00f, 3.25f, 3.75f, 4.00f}, out.image(), 1e-6f);
    }

    @Test
    void resizeDownAveragesAndKeepsTheAspectRatio() {
        // 4x8 -> shorter side 2 -> 2x4; source centres fall between pixel pairs, so each output averages a 2x2 block
        Example out = new Resize(2).apply(ramp(1, 4, 8), RNG);
        assertEquals(new ImageShape(1, 2, 4), out.shape());
        assertArrayEquals(new float[] {4.5f, 6.5f, 8.5f, 10.5f, 20.5f, 22.5f, 24.5f, 26.5f}, out.image(), 1e-5f);
        // 3 channels of 5x3 -> width 2, height int(2 * 5 / 3) = 3
        assertEquals(new ImageShape(3, 3, 2), new Resize(2).apply(ramp(3, 5, 3), RNG).shape());
    }
}
