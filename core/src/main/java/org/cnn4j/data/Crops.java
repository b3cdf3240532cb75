package org.cnn4j.data;

/** Copies a window of an image; positions outside the source read as zero. */
final class Crops {

    private Crops() {
    }

    /** The {@code outH x outW} window whose top-left corner is at (top, left) of {@code in}, zero outside. */
    static Example window(Example in, int top, int left, int outH, int outW) {
        ImageShape s = in.shape();
        int channels = s.channels();
        int h = s.height();
        int w = s.width();
        float[] src = in.image();
        float[] dst = new float[channels * outH * outW];
        int x0 = Math.max(0, -left);
        int x1 = Math.min(outW, w - left);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < outH; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= h || x1 <= x0) {
                    continue;
                }
                System.arraycopy(src, (c * h + sy) * w + left + x0, dst, (c * outH + y) * outW + x0, x1 - x0);
            }
        }
        return new Example(dst, new ImageShape(channels, outH, outW), in.label());
    }
}
