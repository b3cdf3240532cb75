package org.cnn4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.cnn4j.explain.Explain;
import org.cnn4j.explain.Heatmap;
import org.cnn4j.io.AtomicFiles;

/**
 * The pictures of {@code cnn explain}: a heat map blended over its input, a grid of a layer's feature maps, a grid
 * of the first layer's filters. Small inputs are enlarged (nearest neighbour) so that the picture is at least
 * {@value #MIN_SIDE} pixels on its shorter side.
 */
final class ExplainImages {
    static final int MIN_SIDE = 224;
    /** Feature-map and filter tiles are enlarged to at least this many pixels. */
    private static final int MIN_TILE = 32;

    private ExplainImages() {
    }

    /**
     * The input (C x H x W, shown as gray or RGB after a min-max stretch over all its values) with the map on top,
     * half and half: maps without negative values in the jet colours from 0 to their maximum, signed maps (integrated
     * gradients, occlusion) blue for negative, red for positive, scaled by their largest magnitude. A map of another
     * size (Grad-CAM's) is resized bilinearly to the input's.
     */
    static BufferedImage overlay(float[] input, int channels, int h, int w, Heatmap map) {
        float[] heat = resize(map.values(), map.height(), map.width(), h, w);
        double min = 0, max = 0;
        for (float v : heat) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        boolean signed = min < 0;
        double scale = signed ? Math.max(-min, max) : max;
        float[][] rgb = stretch(input, channels, h * w);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double t = scale == 0 ? 0 : heat[i] / scale;
                double[] c = signed ? diverging(t) : jet(t);
                img.setRGB(x, y, pixel(0.5 * rgb[0][i] + 0.5 * c[0], 0.5 * rgb[1][i] + 0.5 * c[1],
                        0.5 * rgb[2][i] + 0.5 * c[2]));
            }
        }
        return enlarge(img, Math.max(1, (MIN_SIDE + Math.min(h, w) - 1) / Math.min(h, w)));
    }

    /** One gray tile per channel, each stretched to its own range, in a near-square grid. */
    static BufferedImage featureGrid(Explain.FeatureMaps maps) {
        int plane = maps.height() * maps.width();
        float[][] tiles = new float[maps.channels()][];
        for (int k = 0; k < maps.channels(); k++) {
            tiles[k] = new float[plane];
            System.arraycopy(maps.values(), k * plane, tiles[k], 0, plane);
        }
        return grid(tiles, null, maps.height(), maps.width());
    }

    /**
     * The filters of a first layer [K, C, r, s]: RGB tiles when C is 3 (one stretch over all weights, so the
     * colours compare across filters), otherwise one gray tile per filter and input channel.
     */
    static BufferedImage filterGrid(float[] weights, int k, int c, int r, int s) {
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (float v : weights) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int plane = r * s;
        boolean rgb = c == 3;
        int count = rgb ? k : k * c;
        float[][] tiles = new float[count][];
        for (int t = 0; t < count; t++) {
            tiles[t] = new float[(rgb ? 3 : 1) * plane];
            System.arraycopy(weights, t * tiles[t].length, tiles[t], 0, tiles[t].length);
        }
        return grid(tiles, new double[] {min, max}, r, s);
    }

    private static BufferedImage grid(float[][] tiles, double[] range, int h, int w) {
        int cols = (int) Math.ceil(Math.sqrt(tiles.length)), rows = (tiles.length + cols - 1) / cols;
        int zoom = Math.max(1, (MIN_TILE + Math.min(h, w) - 1) / Math.min(h, w));
        int th = h * zoom, tw = w * zoom;
        BufferedImage img = new BufferedImage(cols * (tw + 1) + 1, rows * (th + 1) + 1, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, 0x404040);
            }
        }
        for (int t = 0; t < tiles.length; t++) {
            int channels = tiles[t].length / (h * w);
            float[][] rgb = range == null ? stretch(tiles[t], channels, h * w)
                    : stretch(tiles[t], channels, h * w, range[0], range[1]);
            int x0 = 1 + (t % cols) * (tw + 1), y0 = 1 + (t / cols) * (th + 1);
            for (int y = 0; y < th; y++) {
                for (int x = 0; x < tw; x++) {
                    int i = (y / zoom) * w + x / zoom;
                    img.setRGB(x0 + x, y0 + y, pixel(rgb[0][i], rgb[1][i], rgb[2][i]));
                }
            }
        }
        return img;
    }

    static void writePng(Path file, BufferedImage img) throws IOException {
        AtomicFiles.writeStream(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** Bilinear resize with pixel centres aligned (as OpenCV's resize and PyTorch's align_corners=False). */
    static float[] resize(float[] v, int h, int w, int outH, int outW) {
        if (h == outH && w == outW) {
            return v;
        }
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            double sy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / outH - 0.5));
            int y0 = (int) sy, y1 = Math.min(h - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / outW - 0.5));
                int x0 = (int) sx, x1 = Math.min(w - 1, x0 + 1);
                double fx = sx - x0;
                double top = v[y0 * w + x0] * (1 - fx) + v[y0 * w + x1] * fx;
                double bottom = v[y1 * w + x0] * (1 - fx) + v[y1 * w + x1] * fx;
                out[y * outW + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /** RGB planes in [0, 1] from 1 (gray), 3 (RGB) or any other number of channels (their mean, gray). */
    private static float[][] stretch(float[] values, int channels, int plane) {
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return stretch(values, channels, plane, min, max);
    }

    private static float[][] stretch(float[] values, int channels, int plane, double min, double max) {
        double span = max > min ? max - min : 1;
        float[][] rgb = new float[3][plane];
        for (int i = 0; i < plane; i++) {
            if (channels == 3) {
                for (int c = 0; c < 3; c++) {
                    rgb[c][i] = (float) ((values[c * plane + i] - min) / span);
                }
            } else {
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += values[c * plane + i];
                }
                float g = (float) ((sum / channels - min) / span);
                rgb[0][i] = g;
                rgb[1][i] = g;
                rgb[2][i] = g;
            }
        }
        return rgb;
    }

    /** The jet colour map: dark blue, blue, cyan, yellow, red, dark red over [0, 1]. */
    static double[] jet(double t) {
        t = Math.max(0, Math.min(1, t));
        return new double[] {clamp(1.5 - Math.abs(4 * t - 3)), clamp(1.5 - Math.abs(4 * t - 2)),
            clamp(1.5 - Math.abs(4 * t - 1))};
    }

    /** Blue (-1), white (0), red (+1). */
    static double[] diverging(double t) {
        t = Math.max(-1, Math.min(1, t));
        return t >= 0 ? new double[] {1, 1 - t, 1 - t} : new double[] {1 + t, 1 + t, 1};
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static int pixel(double r, double g, double b) {
        return ((int) Math.round(255 * clamp(r)) << 16) | ((int) Math.round(255 * clamp(g)) << 8)
                | (int) Math.round(255 * clamp(b));
    }

    private static BufferedImage enlarge(BufferedImage img, int zoom) {
        if (zoom == 1) {
            return img;
        }
        BufferedImage out = new BufferedImage(img.getWidth() * zoom, img.getHeight() * zoom, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, img.getRGB(x / zoom, y / zoom));
            }
        }
        return out;
    }
}
