package org.cnn4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.cnn4j.backend.BackendProvider;
import org.cnn4j.backend.Backends;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.models.OnnxModels;
import org.cnn4j.train.TrainConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values made before any work starts, so that a bad value is a usage error (exit code 2)
 * reported at once rather than a failure after loading data or building a model.
 */
final class OptionChecks {
    private OptionChecks() {
    }

    /** {@code value} (case-insensitive) must be one of {@code allowed}. */
    static void oneOf(CommandSpec spec, String option, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return;
            }
        }
        throw usage(spec, "unknown " + option + " '" + value + "'; expected " + String.join(", ", allowed));
    }

    static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw usage(spec, option + " must be at least " + min + ", got " + value);
        }
    }

    static void model(CommandSpec spec, String model) {
        if (OnnxModels.isOnnx(model)) {
            if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(model))) {
                throw usage(spec, "--model: no ONNX file '" + model + "'");
            }
            return;
        }
        if (!ModelRegistry.names().contains(model)) {
            throw usage(spec, "unknown model '" + model + "'; known models: "
                    + String.join(", ", ModelRegistry.names()));
        }
    }

    /** A backend name: "auto" or one on the class path (whether it can run is checked when it is created). */
    static void backend(CommandSpec spec, String name) {
        List<String> names = new ArrayList<>(List.of("auto"));
        for (BackendProvider p : Backends.providers()) {
            names.add(p.name());
        }
        if (name != null && !names.contains(name.toLowerCase(Locale.ROOT))) {
            throw usage(spec, "unknown --backend '" + name + "'; expected " + String.join(", ", names));
        }
    }

    static void atMost(CommandSpec spec, String option, long value, long max) {
        if (value > max) {
            throw usage(spec, option + " must be at most " + max + ", got " + value);
        }
    }

    /** A name that {@code parse} (an enum's {@code of}) accepts; its message becomes the usage error. */
    static <T> T parsed(CommandSpec spec, String option, String value, Function<String, T> parse) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw usage(spec, option + ": " + e.getMessage());
        }
    }

    /**
     * {@code --image-size}: at most {@link TrainConfig#MAX_IMAGE_SIZE}, and a batch of 3-channel images of that
     * size must fit in one Java array (30000 used to overflow into a NegativeArraySizeException).
     */
    static void imageSize(CommandSpec spec, int imageSize, int batchSize) {
        atLeast(spec, "--image-size", imageSize, 1);
        atMost(spec, "--image-size", imageSize, TrainConfig.MAX_IMAGE_SIZE);
        try {
            TrainConfig.checkBatchFits(batchSize, 3, imageSize, imageSize);
        } catch (IllegalArgumentException e) {
            throw usage(spec, "--image-size " + imageSize + " with --batch-size " + batchSize + ": " + e.getMessage());
        }
    }

    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
