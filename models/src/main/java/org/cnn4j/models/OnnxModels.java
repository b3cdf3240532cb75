package org.cnn4j.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cnn4j.backend.Backends;
import org.cnn4j.io.onnx.OnnxModel;
import org.cnn4j.nn.Module;

/**
 * The registry's route for ONNX files: wherever a model name is accepted, a path ending in {@code .onnx} names an
 * imported graph ({@link OnnxModel}) instead. The file fixes the classes and input channels, so
 * {@link ModelOptions} do not apply to it.
 */
public final class OnnxModels {
    private OnnxModels() {
    }

    /** Whether {@code model} names an ONNX file rather than a zoo model. */
    public static boolean isOnnx(String model) {
        return model != null && model.toLowerCase().endsWith(".onnx");
    }

    /** The registry entry of an ONNX file: loads it, its input is the graph's declared (C, H, W). */
    static ModelRegistry.Entry entry(String path) {
        int[] input = declaredInput(path);
        if (input == null) {
            throw new IllegalArgumentException(path + " declares no fixed input size (C, H, W)");
        }
        return new ModelRegistry.Entry(path, options -> load(path), input, "imported ONNX graph " + path);
    }

    /** Loads the graph with parameters on the current backend; a missing or bad file is a one-line error. */
    static Module load(String path) {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no ONNX file '" + path + "'");
        }
        try {
            return OnnxModel.load(file, Backends.current());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
        }
    }

    /** The graph input's declared (C, H, W), or null when the file leaves them symbolic. */
    public static int[] declaredInput(String path) {
        if (!Files.isRegularFile(Path.of(path))) {
            throw new IllegalArgumentException("no ONNX file '" + path + "'");
        }
        try {
            long[] dims = OnnxModel.declaredInputShape(Path.of(path));
            if (dims.length != 4 || dims[1] < 1 || dims[2] < 1 || dims[3] < 1) {
                return null;
            }
            return new int[] {(int) dims[1], (int) dims[2], (int) dims[3]};
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
        }
    }
}
