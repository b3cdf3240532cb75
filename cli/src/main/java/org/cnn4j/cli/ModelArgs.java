package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.Weights;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.StateDictException;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.train.Checkpoint;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options that pick a zoo model and its weights ({@code infer}, {@code predict}), and how they are used. */
final class ModelArgs {
    static final String WEIGHTS_HELP = "Weights file, recognised by content: safetensors (a state_dict, or a checkpoint"
            + " from `cnn train`) or a PyTorch .pth/.pt (zip or legacy format; nothing in it is run).";
    static final String WEIGHTS_KEY_HELP = "Which entry of a PyTorch checkpoint dict holds the state_dict, e.g."
            + " 'model' (default: the only one).";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model name (see `cnn models`).")
    String model;

    @Option(names = "--num-classes", description = "Number of output classes (default: the model's).")
    Integer numClasses;

    @Option(names = "--weights", required = true, description = ModelArgs.WEIGHTS_HELP)
    Path weights;

    @Option(names = "--weights-key", description = ModelArgs.WEIGHTS_KEY_HELP)
    String weightsKey;

    @Option(names = "--backend", description = "cpu, cuda or auto (default: -Dcnn4j.backend / CNN4J_BACKEND / auto).")
    String backend;

    @Option(names = {"-v", "--verbose"}, description = "Print the stack trace on failure.")
    boolean verbose;

    Backend backend() {
        return Backends.resolve(backend);
    }

    /** The registry options; an unknown model or a bad --num-classes is a usage error. */
    ModelOptions options() {
        OptionChecks.backend(spec, backend);
        return ModelCliSupport.options(spec, model, numClasses);
    }

    /** Creates the model on the current backend. */
    Module create(ModelOptions opts) {
        return ModelRegistry.create(model, opts);
    }

    /** Strict load; a file that does not fit fails with every missing, unexpected and mis-shaped key. */
    void loadWeights(Module net, Backend be) throws IOException {
        loadWeights(weights, weightsKey, model, net, be);
    }

    /** {@link #loadWeights(Module, Backend)} for commands that take their options otherwise ({@code eval}). */
    static void loadWeights(Path weights, String weightsKey, String model, Module net, Backend be)
            throws IOException {
        try (MemoryScope scope = MemoryScope.open()) {
            net.loadStateDict(Checkpoint.weightsOnly(Weights.load(weights, be, weightsKey)));
        } catch (StateDictException e) {
            throw new IllegalArgumentException(weights + " does not fit " + model + ": " + e.getMessage(), e);
        }
    }
}
