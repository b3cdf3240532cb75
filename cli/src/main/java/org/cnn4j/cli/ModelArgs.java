package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.io.Weights;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.models.OnnxModels;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.StateDictException;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Checkpoint;
import org.cnn4j.train.FiniteCheck;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options that pick a zoo model and its weights ({@code infer}, {@code predict}), and the one place where
 * the command line reads weights files.
 */
final class ModelArgs {
    static final String WEIGHTS_HELP = "Weights file, recognised by content: safetensors (a state_dict, or a checkpoint"
            + " from `cnn train`) or a PyTorch .pth/.pt (zip or legacy format; nothing in it is run).";
    static final String WEIGHTS_KEY_HELP = "Which entry of a PyTorch checkpoint dict holds the state_dict, e.g."
            + " 'model' (default: the only one).";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, description = "Model name (see `cnn models`) or an .onnx file.")
    String model;

    @Option(names = "--num-classes", description = "Number of output classes (default: the model's).")
    Integer numClasses;

    @Option(names = "--weights", description = ModelArgs.WEIGHTS_HELP + " Required for zoo models; optional for an"
            + " .onnx model, which carries its own.")
    Path weights;

    @Option(names = "--weights-key", description = ModelArgs.WEIGHTS_KEY_HELP)
    String weightsKey;

    Backend backend() {
        return common.resolve();
    }

    /** The registry options; an unknown model or a bad --num-classes is a usage error. */
    ModelOptions options() {
        common.check();
        if (weights == null && !OnnxModels.isOnnx(model)) {
            throw OptionChecks.usage(spec, "--weights is required for zoo model '" + model + "'");
        }
        return ModelCliSupport.options(spec, model, numClasses);
    }

    /** Creates the model on the current backend. */
    Module create(ModelOptions opts) {
        return ModelRegistry.create(model, opts);
    }

    /** Strict load; a file that does not fit fails with every missing, unexpected and mis-shaped key. */
    void loadWeights(Module net, Backend be) throws IOException {
        if (weights != null) {
            loadWeights(weights, weightsKey, model, net, be);
        }
    }

    /** {@link #loadWeights(Module, Backend)} for commands that take their options otherwise ({@code eval}). */
    static void loadWeights(Path weights, String weightsKey, String model, Module net, Backend be)
            throws IOException {
        try (MemoryScope scope = MemoryScope.open()) {
            net.loadStateDict(readWeights(weights, weightsKey, be));
        } catch (StateDictException e) {
            throw new IllegalArgumentException(weights + " does not fit " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model tensors of a weights file (safetensors or PyTorch, by content; {@code weightsKey} picks the entry of
     * a PyTorch checkpoint dict, or null) or of a training checkpoint (optimizer state dropped), onto {@code be} in
     * the current memory scope; weights holding NaN or infinities are refused. Every command reads weights here.
     */
    static Map<String, Tensor> readWeights(Path weights, String weightsKey, Backend be) throws IOException {
        Map<String, Tensor> all = Checkpoint.weightsOnly(Weights.load(weights, be, weightsKey));
        FiniteCheck.requireFiniteWeights(all, weights.toString());
        return all;
    }
}
