package org.cnn4j.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.nn.LoadReport;
import org.cnn4j.io.onnx.OnnxModel;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.StateDictException;
import org.cnn4j.tensor.Tensor;

/**
 * Fine-tuning helpers: find a zoo model's classifier head, swap it for one with another number of classes
 * (keeping every other weight), load pretrained weights whose head differs, and freeze the backbone.
 */
public final class ModelHeads {
    private ModelHeads() {
    }

    /** The state-dict prefix of the final linear layer, e.g. {@code "fc."} or {@code "classifier.6."}. */
    public static String headPrefix(Module model) {
        if (model instanceof ResNet || model instanceof CifarResNet || model instanceof TextCnn || model instanceof M5) {
            return "fc.";
        }
        if (model instanceof AlexNet || model instanceof VGG) {
            return "classifier.6.";
        }
        if (model instanceof LeNet5) {
            return "classifier.5.";
        }
        if (model instanceof FmnistCnn) {
            return "classifier.4.";
        }
        if (model instanceof OnnxModel onnx) {
            return onnx.headPrefix();
        }
        throw new IllegalArgumentException("headPrefix: " + model.typeName() + " is not a model-zoo model");
    }

    /**
     * Returns registry model {@code name} rebuilt with {@code numClasses} outputs on the current backend, with all
     * of {@code model}'s weights except the (freshly initialised) head copied over; {@code model} is closed.
     */
    public static Module replaceClassifier(String name, Module model, int numClasses, ModelOptions options) {
        Module fresh = ModelRegistry.create(name, options.withNumClasses(numClasses));
        try {
            loadExceptHead(fresh, model.stateDict());
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        model.close();
        return fresh;
    }

    /**
     * Loads {@code state} (e.g. ImageNet weights) into {@code model} except the head's keys, which are skipped;
     * any other missing, unexpected or mismatched key fails with the full list, and nothing is loaded.
     */
    public static LoadReport loadExceptHead(Module model, Map<String, Tensor> state) {
        String head = headPrefix(model);
        Map<String, Tensor> own = model.stateDict();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        own.forEach((k, t) -> {
            Tensor src = state.get(k);
            if (k.startsWith(head)) {
                return;
            }
            if (src == null) {
                missing.add(k);
            } else if (!src.shape().equals(t.shape())) {
                mismatched.add(k + ": checkpoint " + src.shape() + " vs model " + t.shape());
            }
        });
        List<String> unexpected = new ArrayList<>();
        Map<String, Tensor> backbone = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            } else if (!k.startsWith(head)) {
                backbone.put(k, v);
            }
        });
        LoadReport problems = new LoadReport(missing, unexpected, mismatched);
        if (!problems.isClean()) {
            throw new StateDictException("loadExceptHead into " + model.typeName() + ": " + problems);
        }
        return model.loadStateDict(backbone, false);
    }

    /** Freezes every parameter except the head's, so only the classifier trains. */
    public static void freezeBackbone(Module model) {
        model.freezePrefix("");
        model.setRequiresGrad(headPrefix(model), true);
    }
}
