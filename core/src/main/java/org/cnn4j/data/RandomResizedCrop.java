package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomResizedCrop(size, scale, ratio)}: a window of a random share of the area (uniform in
 * {@code scale}) and aspect ratio (log-uniform in {@code ratio}) at a random position, resized bilinearly to
 * {@code size x size} (no antialiasing, like {@link Resize}). After 10 windows that do not fit, a centre crop of the
 * nearest allowed ratio. Sides round half to even, as Python's {@code round}.
 */
public final class RandomResizedCrop implements Transform {
    private final int size;
    private final double minScale;
    private final double maxScale;
    private final double minRatio;
    private final double maxRatio;

    /** torchvision's defaults: scale 0.08..1, ratio 3/4..4/3. */
    public RandomResizedCrop(int size) {
        this(size, 0.08, 1.0, 3.0 / 4, 4.0 / 3);
    }

    public RandomResizedCrop(int size, double minScale, double maxScale, double minRatio, double maxRatio) {
        if (size <= 0 || !(minScale > 0 && minScale <= maxScale && maxScale <= 1)
                || !(minRatio > 0 && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("RandomResizedCrop: expected size > 0, 0 < scale min <= max <= 1 and "
                    + "0 < ratio min <= max, got " + size + ", " + minScale + ".." + maxScale + ", " + minRatio
                    + ".." + maxRatio);
        }
        this.size = size;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
    }

    @Override
    public Example apply(Example example, SplittableRandom rng) {
        ImageShape s = example.shape();
        int[] box = window(s.height(), s.width(), rng);
        Example crop = Crops.window(example, box[0], box[1], box[2], box[3]);
        if (box[2] == size && box[3] == size) {
            return crop;
        }
        return new Example(Resize.bilinear(crop.image(), s.channels(), box[2], box[3], size, size),
                new ImageShape(s.channels(), size, size), example.label());
    }

    /** {top, left, height, width} of the window, as torchvision's {@code get_params}. */
    int[] window(int height, int width, SplittableRandom rng) {
        double area = (double) height * width;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * RandomDraws.uniform(rng, minScale, maxScale);
            double aspect = Math.exp(RandomDraws.uniform(rng, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                return new int[] {rng.nextInt(height - h + 1), rng.nextInt(width - w + 1), h, w};
            }
        }
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < minRatio) {
            h = Math.max(1, (int) Math.rint(w / minRatio));
        } else if (inRatio > maxRatio) {
            w = Math.max(1, (int) Math.rint(h * maxRatio));
        }
        return new int[] {(height - h) / 2, (width - w) / 2, h, w};
    }
}
