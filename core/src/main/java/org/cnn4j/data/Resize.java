package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * Bilinear resize so the shorter side becomes {@code size} (the longer side scaled by the same factor and
 * truncated), like torchvision's {@code Resize(size, antialias=False)} on tensors, i.e. PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)}.
 */
public final class Resize implements Transform {

    private final int size;

    public Resize(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("Resize: expected size > 0, got " + size);
        }
        this.size = size;
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        ImageShape s = example.shape();
        int h = s.height();
        int w = s.width();
        int outH;
        int outW;
        if (h <= w) {
            outH = size;
            outW = (int) ((long) size * w / h);
        } else {
            outW = size;
            outH = (int) ((long) size * h / w);
        }
        if (outH == h && outW == w) {
            return example;
        }
        return new Example(bilinear(example.image(), s.channels(), h, w, outH, outW),
                new ImageShape(s.channels(), outH, outW), example.label());
    }

    /** Bilinear interpolation with half-pixel centres, source coordinates clamped at 0 as PyTorch does. */
    static float[] bilinear(float[] src, int channels, int h, int w, int outH, int outW) {
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] fx = new float[outW];
        sourceIndex(w, outW, x0, x1, fx);
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] fy = new float[outH];
        sourceIndex(h, outH, y0, y1, fy);
        float[] dst = new float[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            int plane = c * h * w;
            for (int y = 0; y < outH; y++) {
                int row0 = plane + y0[y] * w;
                int row1 = plane + y1[y] * w;
                float wy = fy[y];
                int out = (c * outH + y) * outW;
                for (int x = 0; x < outW; x++) {
                    float top = src[row0 + x0[x]] * (1 - fx[x]) + src[row0 + x1[x]] * fx[x];
                    float bottom = src[row1 + x0[x]] * (1 - fx[x]) + src[row1 + x1[x]] * fx[x];
                    dst[out + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return dst;
    }

    private static void sourceIndex(int in, int out, int[] i0, int[] i1, float[] frac) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = Math.max(scale * (d + 0.5f) - 0.5f, 0f);
            int lo = Math.min((int) src, in - 1);
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, in - 1);
            frac[d] = src - lo;
        }
    }
}
