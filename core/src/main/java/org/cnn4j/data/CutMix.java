package org.cnn4j.data;

import java.util.SplittableRandom;

/**
 * CutMix (Yun et al. 2019), like torchvision's {@code transforms.v2.CutMix}: with {@code lam ~ Beta(alpha, alpha)}
 * drawn once per batch, a box of about {@code (1 - lam)} of the image area, centred at a uniform random pixel and
 * clipped to the image, is pasted from each image's predecessor in the batch; targets mix in proportion to the
 * areas actually kept. Train with {@code Losses.softCrossEntropy}.
 */
public final class CutMix implements BatchTransform {
    private final double alpha;
    private final int numClasses;

    public CutMix(double alpha, int numClasses) {
        BatchMixing.checkArguments("CutMix", alpha, numClasses);
        this.alpha = alpha;
        this.numClasses = numClasses;
    }

    @Override
    public Batch apply(Batch batch, SplittableRandom rng) {
        double lam = RandomDraws.beta(rng, alpha, alpha);
        ImageShape s = batch.shape();
        int h = s.height();
        int w = s.width();
        int cx = rng.nextInt(w);
        int cy = rng.nextInt(h);
        double r = 0.5 * Math.sqrt(1 - lam);
        int halfW = (int) (r * w);
        int halfH = (int) (r * h);
        int x1 = Math.max(cx - halfW, 0);
        int y1 = Math.max(cy - halfH, 0);
        int x2 = Math.min(cx + halfW, w);
        int y2 = Math.min(cy + halfH, h);
        float kept = 1f - (float) ((x2 - x1) * (y2 - y1)) / (w * h);
        int n = batch.size();
        int size = s.size();
        float[] x = batch.data();
        float[] out = x.clone();
        for (int i = 0; i < n; i++) {
            int prev = (i + n - 1) % n;
            for (int c = 0; c < s.channels(); c++) {
                for (int y = y1; y < y2; y++) {
                    int row = (c * h + y) * w;
                    System.arraycopy(x, prev * size + row + x1, out, i * size + row + x1, x2 - x1);
                }
            }
        }
        return BatchMixing.mix(batch, out, kept, numClasses);
    }
}
