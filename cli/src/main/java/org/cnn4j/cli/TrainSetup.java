package org.cnn4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.models.ModelHeads;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.StateDictException;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.TrainConfig;

/** The model of a training run: built for its data, and for fine-tuning loaded from pretrained weights. */
final class TrainSetup {
    private TrainSetup() {
    }

    /** ImageNet models (3x224x224 input in the registry) with pretrained weights expect ImageNet statistics. */
    static boolean imagenetPretrained(String model, boolean hasWeights) {
        int[] input = ModelRegistry.entry(model).defaultInput();
        return hasWeights && input[0] == 3 && input[1] == 224;
    }

    /** The registry model's default input side, the image size of a folder dataset unless given. */
    static int defaultImageSize(String model) {
        return ModelRegistry.entry(model).defaultInput()[1];
    }

    /** The classifier head's state-dict prefix of a registry model, e.g. "fc." for ResNets. */
    static String headPrefix(String model) {
        // built on the shape-only backend: no memory, no kernels; the real model is seeded anew after this
        try (Backends.Use use = Backends.use(new ShapeOnlyBackend()); Module m = ModelRegistry.create(model)) {
            return ModelHeads.headPrefix(m);
        }
    }

    /**
     * The config's model for {@code data}, initialised from the config's seed; with {@code weights} (a fresh
     * fine-tuning run) every pretrained tensor is loaded, except a head whose shape differs (another number of
     * classes), which starts fresh.
     */
    static Module model(TrainConfig config, TrainingData data, Path weights, String weightsKey, Backend backend,
                        PrintStream out)
            throws IOException {
        Init.manualSeed(config.seed());
        Module net = ModelRegistry.create(config.model(), data.modelOptions());
        if (weights == null) {
            return net;
        }
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> state = ModelArgs.readWeights(weights, weightsKey, backend);
            String head = ModelHeads.headPrefix(net);
            if (headFits(net, state, head)) {
                net.loadStateDict(state);
                out.println("weights: all " + state.size() + " tensors from " + weights);
            } else {
                ModelHeads.loadExceptHead(net, state);
                out.println("weights: " + weights + " except the head " + head + "* (" + data.numClasses()
                        + " classes here), which starts fresh");
            }
        } catch (StateDictException e) {
            net.close();
            throw new IllegalArgumentException(weights + " does not fit " + config.model() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    private static boolean headFits(Module net, Map<String, Tensor> state, String head) {
        for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
            Tensor src = state.get(e.getKey());
            if (e.getKey().startsWith(head) && (src == null || !src.shape().equals(e.getValue().shape()))) {
                return false;
            }
        }
        return true;
    }
}
