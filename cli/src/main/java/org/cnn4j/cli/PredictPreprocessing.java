package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.cnn4j.data.CenterCrop;
import org.cnn4j.data.Example;
import org.cnn4j.data.ImageFiles;
import org.cnn4j.data.ImageFolderDataset;
import org.cnn4j.data.ImageShape;
import org.cnn4j.data.Normalize;
import org.cnn4j.data.Resize;
import org.cnn4j.data.ToUnit;
import org.cnn4j.data.Transform;
import org.cnn4j.tensor.Shape;

/**
 * ImageNet evaluation preprocessing (torchvision's {@code Resize(256)}, {@code CenterCrop(224)},
 * {@code ToTensor}, {@code Normalize}) plus the softmax and top-k of {@code cnn predict}.
 */
final class PredictPreprocessing {
    static final Shape SHAPE = Shape.of(1, 3, 224, 224);
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    private static final Transform[] STEPS = {new ToUnit(), new Resize(256), new CenterCrop(224),
        new Normalize(MEAN, STD)};

    private PredictPreprocessing() {
    }

    /**
     * Reads {@code file} as RGB (gray images replicated from their samples, alpha dropped; images declaring more
     * than {@link ImageFiles#DEFAULT_MAX_PIXELS} refused before decoding) and returns the normalised 3x224x224
     * pixels, channel-major.
     */
    static float[] imagenet(Path file) throws IOException {
        Example image = ImageFiles.readExample(file, ImageFolderDataset.ColorMode.RGB, 0,
                ImageFiles.DEFAULT_MAX_PIXELS);
        return preprocess(image.image(), image.shape().height(), image.shape().width());
    }

    /** Resize/crop/normalise 0..255 RGB planes of an h x w image. */
    static float[] preprocess(float[] chw, int h, int w) {
        Example ex = new Example(chw, new ImageShape(3, h, w), 0);
        SplittableRandom unused = new SplittableRandom(0);
        for (Transform t : STEPS) {
            ex = t.apply(ex, unused);
        }
        if (ex.image().length != SHAPE.numel()) {
            throw new IllegalStateException("predict: preprocessing produced " + ex.shape() + ", expected 3x224x224");
        }
        return ex.image();
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Indices of the k largest values, largest first (ties: lower index first). */
    static int[] topK(double[] values, int k) {
        Integer[] idx = new Integer[values.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> values[a] != values[b] ? Double.compare(values[b], values[a])
                : Integer.compare(a, b));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
