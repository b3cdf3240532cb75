package org.cnn4j.data;

import java.util.Arrays;

/**
 * Pixel operations behind {@link ColorJitter} and {@link TrivialAugmentWide}, on CHW images of values 0..255 (as
 * datasets produce them, before {@link ToUnit}), with PIL's semantics: results are clamped to 0..255, gray is
 * ITU-R 601 luma, 1-channel images are their own gray.
 */
final class ImageOps {
    static final float MAX = 255f;

    private ImageOps() {
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : Math.min(v, MAX);
    }

    /** {@code degenerate + factor * (image - degenerate)} clamped: PIL's ImageEnhance blend, in place. */
    static void blend(float[] image, float[] degenerate, float factor) {
        for (int i = 0; i < image.length; i++) {
            image[i] = clamp(degenerate[i] + factor * (image[i] - degenerate[i]));
        }
    }

    /** The gray level of each pixel, repeated in every channel (a copy for 1-channel images). */
    static float[] gray(float[] image, ImageShape s) {
        if (s.channels() != 3) {
            return image.clone();
        }
        int plane = s.height() * s.width();
        float[] out = new float[image.length];
        for (int i = 0; i < plane; i++) {
            float g = 0.299f * image[i] + 0.587f * image[plane + i] + 0.114f * image[2 * plane + i];
            out[i] = g;
            out[plane + i] = g;
            out[2 * plane + i] = g;
        }
        return out;
    }

    static void brightness(float[] image, float factor) {
        blend(image, new float[image.length], factor);
    }

    /** Saturation (PIL's "Color"): blend with the image's gray. */
    static void saturation(float[] image, ImageShape s, float factor) {
        if (s.channels() == 3) {
            blend(image, gray(image, s), factor);
        }
    }

    /** Blend with the mean gray level of the whole image. */
    static void contrast(float[] image, ImageShape s, float factor) {
        float[] g = gray(image, s);
        double sum = 0;
        int plane = s.height() * s.width();
        for (int i = 0; i < plane; i++) {
            sum += g[i];
        }
        float[] mean = new float[image.length];
        Arrays.fill(mean, (float) (sum / plane));
        blend(image, mean, factor);
    }

    /** Blend with PIL's SMOOTH filter result (3x3 kernel 1 1 1 / 1 5 1 / 1 1 1 over 13; border pixels kept). */
    static void sharpness(float[] image, ImageShape s, float factor) {
        int h = s.height();
        int w = s.width();
        float[] smooth = image.clone();
        for (int c = 0; c < s.channels(); c++) {
            int base = c * h * w;
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    float sum = 4 * image[base + y * w + x];
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            sum += image[base + (y + dy) * w + x + dx];
                        }
                    }
                    smooth[base + y * w + x] = sum / 13f;
                }
            }
        }
        blend(image, smooth, factor);
    }

    /** Shifts the hue of an RGB image by {@code shift} turns (-0.5..0.5), through HSV; others unchanged. */
    static void hue(float[] image, ImageShape s, float shift) {
        if (s.channels() != 3) {
            return;
        }
        int plane = s.height() * s.width();
        for (int i = 0; i < plane; i++) {
            float r = image[i] / MAX;
            float g = image[plane + i] / MAX;
            float b = image[2 * plane + i] / MAX;
            float max = Math.max(r, Math.max(g, b));
            float min = Math.min(r, Math.min(g, b));
            float delta = max - min;
            float hue = 0;
            if (delta > 0) {
                if (max == r) {
                    hue = ((g - b) / delta) / 6f;
                } else if (max == g) {
                    hue = ((b - r) / delta + 2) / 6f;
                } else {
                    hue = ((r - g) / delta + 4) / 6f;
                }
            }
            hue = (float) ((hue + shift) - Math.floor(hue + shift));
            float sat = max == 0 ? 0 : delta / max;
            float[] rgb = hsvToRgb(hue, sat, max);
            image[i] = clamp(rgb[0] * MAX);
            image[plane + i] = clamp(rgb[1] * MAX);
            image[2 * plane + i] = clamp(rgb[2] * MAX);
        }
    }

    private static float[] hsvToRgb(float h, float s, float v) {
        float sector = h * 6;
        int i = (int) Math.floor(sector) % 6;
        float f = sector - (float) Math.floor(sector);
        float p = v * (1 - s);
        float q = v * (1 - s * f);
        float t = v * (1 - s * (1 - f));
        return switch (i) {
            case 0 -> new float[] {v, t, p};
            case 1 -> new float[] {q, v, p};
            case 2 -> new float[] {p, v, t};
            case 3 -> new float[] {p, q, v};
            case 4 -> new float[] {t, p, v};
            default -> new float[] {v, p, q};
        };
    }

    /** Keeps the top {@code bits} bits of each (rounded) value. */
    static void posterize(float[] image, int bits) {
        int mask = ~((1 << (8 - bits)) - 1) & 0xFF;
        for (int i = 0; i < image.length; i++) {
            image[i] = Math.round(clamp(image[i])) & mask;
        }
    }

    /** Inverts every value at or above {@code threshold}. */
    static void solarize(float[] image, float threshold) {
        for (int i = 0; i < image.length; i++) {
            if (image[i] >= threshold) {
                image[i] = MAX - image[i];
            }
        }
    }

    /** Stretches each channel from its minimum and maximum to 0..255 (channels of one value unchanged). */
    static void autoContrast(float[] image, ImageShape s) {
        int plane = s.height() * s.width();
        for (int c = 0; c < s.channels(); c++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                lo = Math.min(lo, image[i]);
                hi = Math.max(hi, image[i]);
            }
            if (hi > lo) {
                float scale = MAX / (hi - lo);
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    image[i] = clamp((image[i] - lo) * scale);
                }
            }
        }
    }

    /** PIL's ImageOps.equalize per channel, on rounded values. */
    static void equalize(float[] image, ImageShape s) {
        int plane = s.height() * s.width();
        for (int c = 0; c < s.channels(); c++) {
            int[] hist = new int[256];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                hist[Math.round(clamp(image[i]))]++;
            }
            int last = 255;
            while (hist[last] == 0) {
                last--;
            }
            int step = (plane - hist[last]) / 255;
            if (step == 0) {
                continue;
            }
            int[] lut = new int[256];
            int n = step / 2;
            for (int v = 0; v < 256; v++) {
                lut[v] = Math.min(255, n / step);
                n += hist[v];
            }
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                image[i] = lut[Math.round(clamp(image[i]))];
            }
        }
    }

    /**
     * Resamples with nearest neighbours: output pixel (x, y) reads input ({@code a*x + b*y + c},
     * {@code d*x + e*y + f}) (PIL's affine transform data), 0 where that falls outside.
     */
    static float[] affine(float[] image, ImageShape s, double a, double b, double c, double d, double e, double f) {
        int h = s.height();
        int w = s.width();
        float[] out = new float[image.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // PIL maps pixel centres: (x + 0.5, y + 0.5) through the matrix, then floors
                double px = x + 0.5;
                double py = y + 0.5;
                int sx = (int) Math.floor(a * px + b * py + c);
                int sy = (int) Math.floor(d * px + e * py + f);
                if (sx < 0 || sy < 0 || sx >= w || sy >= h) {
                    continue;
                }
                for (int ch = 0; ch < s.channels(); ch++) {
                    out[(ch * h + y) * w + x] = image[(ch * h + sy) * w + sx];
                }
            }
        }
        return out;
    }

    /** Rotation by {@code degrees} counter-clockwise about the image centre, nearest neighbours, 0 outside. */
    static float[] rotate(float[] image, ImageShape s, double degrees) {
        double t = Math.toRadians(degrees);
        double cos = Math.cos(t);
        double sin = Math.sin(t);
        double cx = s.width() / 2.0;
        double cy = s.height() / 2.0;
        // inverse map: rotate the output point clockwise back onto the input (y pointing down)
        return affine(image, s, cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy);
    }
}
