package org.cnn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn predict}: classifies one image with ImageNet preprocessing and prints the top-k classes. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify an image (resize 256, center crop 224, ImageNet mean/std) and print the top-k"
                + " classes with probabilities.")
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs args;

    @Option(names = "--image", required = true, description = "A PNG or JPEG image.")
    Path image;

    @Option(names = "--top", defaultValue = "5", description = "How many classes to print (default 5).")
    int top;

    @Option(names = "--labels", description = "Class names, one per line (default: class indices).")
    Path labels;

    @Override
    public Integer call() throws IOException {
        ModelOptions opts = args.options();
        if (top < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top must be at least 1, got " + top);
        }
        List<String> names = labels == null ? null : Files.readAllLines(labels, StandardCharsets.UTF_8);
        float[] pixels = PredictPreprocessing.imagenet(image);
        Backend be = args.backend();
        float[] logits;
        try (Backends.Use use = Backends.use(be); Module net = args.create(opts);
             MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            args.loadWeights(net, be);
            net.eval();
            logits = net.call(Tensor.of(be, pixels, PredictPreprocessing.SHAPE)).toFloatArray();
        }
        requireFinite(logits);
        if (names != null && names.size() != logits.length) {
            throw new IllegalArgumentException(labels + " has " + names.size() + " lines but the model has "
                    + logits.length + " classes");
        }
        double[] probs = PredictPreprocessing.softmax(logits);
        PrintWriter out = spec.commandLine().getOut();
        int[] best = PredictPreprocessing.topK(probs, Math.min(top, probs.length));
        for (int rank = 0; rank < best.length; rank++) {
            int i = best[rank];
            out.printf("%2d. %-40s %8.4f%n", rank + 1, names == null ? "class " + i : names.get(i) + " (" + i + ")",
                    probs[i]);
        }
        out.flush();
        return 0;
    }

    /** NaN or infinite logits would print NaN probabilities: that is a failure, not a prediction. */
    private static void requireFinite(float[] logits) {
        int bad = 0;
        for (float v : logits) {
            bad += Float.isFinite(v) ? 0 : 1;
        }
        if (bad > 0) {
            throw new IllegalStateException(bad + " of the model's " + logits.length + " outputs are NaN or infinite;"
                    + " the image is finite, so the values overflow inside the model (are the weights sound?)");
        }
    }
}
