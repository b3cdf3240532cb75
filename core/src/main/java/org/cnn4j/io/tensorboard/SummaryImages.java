package org.cnn4j.io.tensorboard;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * The pictures a training run logs, drawn pixel by pixel (no fonts, so they render on a headless JRE without
 * any installed): a confusion matrix and a grid of a batch's images.
 */
public final class SummaryImages {
    /** 3x5 digit glyphs, one row of 3 bits per entry, most significant bit leftmost. */
    private static final int[][] DIGITS = {
        {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
        {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7}};
    private static final int WHITE = 0xFFFFFF;
    private static final int BLACK = 0x000000;
    /** Most images of a batch grid. */
    public static final int MAX_GRID_IMAGES = 64;

    private SummaryImages() {
    }

    /**
     * The matrix {@code [true class][predicted class]} as a heat map: rows are true classes, columns predicted
     * ones, both labelled by class index; a cell's blue is its share of the row (recall), its text the count.
     */
    public static BufferedImage confusionMatrix(long[][] confusion) {
        int n = confusion.length;
        if (n == 0) {
            throw new IllegalArgumentException("confusion matrix: no classes");
        }
        int cell = Math.max(4, Math.min(48, 800 / n));
        int margin = textWidth(String.valueOf(n - 1), 2) + 8;
        int size = margin + n * cell;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        fill(img, 0, 0, size, size, WHITE);
        for (int r = 0; r < n; r++) {
            if (confusion[r].length != n) {
                throw new IllegalArgumentException("confusion matrix: row " + r + " has " + confusion[r].length
                        + " entries, expected " + n);
            }
            long total = 0;
            for (long v : confusion[r]) {
                total += v;
            }
            for (int c = 0; c < n; c++) {
                double share = total == 0 ? 0 : (double) confusion[r][c] / total;
                int x = margin + c * cell;
                int y = margin + r * cell;
                fill(img, x, y, cell - 1, cell - 1, blue(share));
                drawCentered(img, String.valueOf(confusion[r][c]), x, y, cell - 1, cell - 1, share > 0.5 ? WHITE : BLACK);
            }
            drawCentered(img, String.valueOf(r), 0, margin + r * cell, margin, cell - 1, BLACK);
            drawCentered(img, String.valueOf(r), margin + r * cell, 0, cell - 1, margin, BLACK);
        }
        return img;
    }

    /**
     * Up to {@value #MAX_GRID_IMAGES} images of an NCHW batch side by side, each stretched from its own minimum
     * and maximum to 0..255 (so normalised data shows); 1-channel batches as gray, 3-channel ones as RGB, others
     * by their first channel.
     */
    public static BufferedImage batchGrid(float[] data, int n, int channels, int height, int width) {
        if ((long) n * channels * height * width != data.length) {
            throw new IllegalArgumentException("batch grid: " + n + "x" + channels + "x" + height + "x" + width
                    + " does not match " + data.length + " values");
        }
        int count = Math.min(n, MAX_GRID_IMAGES);
        int cols = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + cols - 1) / cols;
        int zoom = Math.max(1, 64 / Math.max(height, width));
        int pad = 2;
        int tileW = width * zoom + pad;
        int tileH = height * zoom + pad;
        boolean rgb = channels == 3;
        BufferedImage img = new BufferedImage(cols * tileW + pad, rows * tileH + pad,
                rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        int plane = height * width;
        for (int i = 0; i < count; i++) {
            int base = i * channels * plane;
            int shown = rgb ? 3 : 1;
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < shown * plane; k++) {
                float v = data[base + k];
                if (Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            float scale = hi > lo ? 255f / (hi - lo) : 0f;
            int x0 = pad + (i % cols) * tileW;
            int y0 = pad + (i / cols) * tileH;
            int[] pixel = new int[rgb ? 3 : 1];
            for (int y = 0; y < height * zoom; y++) {
                for (int x = 0; x < width * zoom; x++) {
                    int src = (y / zoom) * width + x / zoom;
                    for (int c = 0; c < pixel.length; c++) {
                        float v = data[base + c * plane + src];
                        pixel[c] = Float.isFinite(v) ? Math.round((v - lo) * scale) : 0;
                    }
                    raster.setPixel(x0 + x, y0 + y, pixel);
                }
            }
        }
        return img;
    }

    /** White (0) to dark blue (1). */
    private static int blue(double share) {
        int r = (int) Math.round(255 - share * (255 - 8));
        int g = (int) Math.round(255 - share * (255 - 48));
        int b = (int) Math.round(255 - share * (255 - 107));
        return (r << 16) | (g << 8) | b;
    }

    private static void fill(BufferedImage img, int x, int y, int w, int h, int rgb) {
        for (int j = y; j < y + h; j++) {
            for (int i = x; i < x + w; i++) {
                img.setRGB(i, j, rgb);
            }
        }
    }

    private static int textWidth(String text, int scale) {
        return (text.length() * 4 - 1) * scale;
    }

    /** Draws {@code text} (digits) centred in a box, at the largest scale up to 3 that fits; nothing if none does. */
    private static void drawCentered(BufferedImage img, String text, int x, int y, int boxW, int boxH, int rgb) {
        for (int scale = 3; scale >= 1; scale--) {
            int w = textWidth(text, scale);
            int h = 5 * scale;
            if (w + 2 <= boxW && h + 2 <= boxH) {
                drawDigits(img, text, x + (boxW - w) / 2, y + (boxH - h) / 2, scale, rgb);
                return;
            }
        }
    }

    private static void drawDigits(BufferedImage img, String text, int x, int y, int scale, int rgb) {
        for (int k = 0; k < text.length(); k++) {
            int[] glyph = DIGITS[text.charAt(k) - '0'];
            for (int row = 0; row < 5; row++) {
                for (int col = 0; col < 3; col++) {
                    if ((glyph[row] >> (2 - col) & 1) != 0) {
                        fill(img, x + (k * 4 + col) * scale, y + row * scale, scale, scale, rgb);
                    }
                }
            }
        }
    }
}
