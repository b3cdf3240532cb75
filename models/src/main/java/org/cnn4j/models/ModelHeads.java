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

    /** The state-dict prefix of the final classifier layer, e.g. {@code "fc."} or {@code "classifier.6."}. */
    public static String headPrefix(Module model) {
        return headPrefixes(model).get(0);
    }

    /**
     * The prefixes of every layer whose shape depends on the number of classes: the classifier first, then any
     * auxiliary classifiers' last layers (GoogLeNet's {@code aux1.fc2.}, Inception v3's {@code AuxLogits.fc.}).
     */
    public static List<String> headPrefixes(Module model) {
        if (model instanceof GoogLeNet) {
            return List.of("fc.", "aux1.fc2.", "aux2.fc2.");
        }
        if (model instanceof Inception3) {
            return List.of("fc.", "AuxLogits.fc.");
        }
        return List.of(mainHeadPrefix(model));
    }

    private static String mainHeadPrefix(Module model) {
        if (model instanceof ResNet || model instanceof CifarResNet || model instanceof ShuffleNetV2
                || model instanceof RegNet
                || model instanceof TextCnn || model instanceof M5) {
            return "fc.";
        }
        if (model instanceof DenseNet) {
            return "classifier.";
        }
        if (model instanceof MobileNetV2 || model instanceof MNASNet || model instanceof EfficientNet) {
            return "classifier.1.";
        }
        if (model instanceof MobileNetV3) {
            return "classifier.3.";
        }
        if (model instanceof ConvNeXt) {
            return "classifier.2.";
        }
        if (model instanceof SqueezeNet) {
            return "classifier.1."; // a 1x1 conv
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
        List<String> heads = headPrefixes(model);
        Map<String, Tensor> own = model.stateDict();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        own.forEach((k, t) -> {
            Tensor src = state.get(k);
            if (isHead(k, heads)) {
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
            } else if (!isHead(k, heads)) {
                backbone.put(k, v);
            }
        });
        LoadReport problems = new LoadReport(missing, unexpected, mismatched);
        if (!problems.isClean()) {
            throw new StateDictException("loadExceptHead into " + model.typeName() + ": " + problems);
        }
        return model.loadStateDict(backbone, false);
    }

    private static boolean isHead(String key, List<String> heads) {
        return heads.stream().anyMatch(key::startsWith);
    }

    /** Freezes every parameter except the heads', so only the classifiers train. */
    public static void freezeBackbone(Module model) {
        model.freezePrefix("");
        for (String head : headPrefixes(model)) {
            model.setRequiresGrad(head, true);
        }
    }
}
