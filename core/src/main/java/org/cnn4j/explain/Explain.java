package org.cnn4j.explain;

import java.util.List;
import java.util.Map;

import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Tensor;

/**
 * One entry point to the explanation methods ({@link GradCam}, {@link Saliency}, {@link IntegratedGradients},
 * {@link Occlusion}) and to what a layer computes (its feature maps, the first layer's filters).
 */
public final class Explain {
    /** Integrated-gradients steps when none are given. */
    public static final int DEFAULT_STEPS = 32;

    /**
     * Settings of {@link #run}: the layer (Grad-CAM; null = {@link #defaultLayer}), the class (-1 = the top class),
     * integrated-gradients steps, occlusion window and stride (0 = the defaults of {@link Occlusion}).
     */
    public record Options(String layer, int target, int steps, int patch, int stride) {
        public static final Options DEFAULTS = new Options(null, -1, DEFAULT_STEPS, 0, 0);

        public Options withLayer(String l) {
            return new Options(l, target, steps, patch, stride);
        }

        public Options withTarget(int t) {
            return new Options(layer, t, steps, patch, stride);
        }
    }

    /** A layer's output for one input: [channels, height, width] values, row-major. */
    public record FeatureMaps(float[] values, int channels, int height, int width) {
    }

    private Explain() {
    }

    public static Heatmap run(Method method, Module model, Tensor image, Options o) {
        return switch (method) {
            case GRADCAM, GRADCAM_PLUS_PLUS -> GradCam.compute(model, image,
                    o.layer() != null ? o.layer() : defaultLayer(model), o.target(), method == Method.GRADCAM_PLUS_PLUS);
            case SALIENCY -> Saliency.compute(model, image, o.target());
            case INTEGRATED_GRADIENTS -> IntegratedGradients.compute(model, image, o.target(), o.steps());
            case OCCLUSION -> {
                int[] hw = image.rank() == 4 ? new int[] {image.dim(2), image.dim(3)} : new int[] {1, image.dim(2)};
                int patch = o.patch() > 0 ? o.patch() : Occlusion.defaultPatch(image.rank() == 4 ? hw[0] : hw[1],
                        hw[1]);
                int stride = o.stride() > 0 ? o.stride() : Math.max(1, patch / 2);
                yield Occlusion.compute(model, image, o.target(), patch, stride);
            }
        };
    }

    /**
     * The last convolutional stage: {@code layer4} of an ImageNet ResNet, {@code layer3} of a CIFAR ResNet (the
     * output of the last residual block); otherwise the activation after the last convolution (its ReLU module when
     * one follows it in the same container, else the convolution itself), e.g. {@code features.19} of VGG-11.
     */
    public static String defaultLayer(Module model) {
        Map<String, Module> children = model.namedChildren();
        if (children.containsKey("layer4")) {
            return "layer4";
        }
        if (children.containsKey("layer3") && children.containsKey("layer1")) {
            return "layer3";
        }
        List<Map.Entry<String, Module>> modules = List.copyOf(model.namedModules().entrySet());
        int lastConv = -1;
        for (int i = 0; i < modules.size(); i++) {
            Module m = modules.get(i).getValue();
            if (m instanceof Conv2d || m instanceof Conv1d) {
                lastConv = i;
            }
        }
        if (lastConv < 0) {
            throw new IllegalArgumentException(model.typeName() + " has no convolution to explain; name a layer");
        }
        String conv = modules.get(lastConv).getKey();
        String parent = conv.contains(".") ? conv.substring(0, conv.lastIndexOf('.') + 1) : "";
        String chosen = conv;
        for (int i = lastConv + 1; i < modules.size(); i++) {
            String name = modules.get(i).getKey();
            boolean sibling = name.startsWith(parent) && !name.substring(parent.length()).contains(".");
            if (!sibling) {
                break;
            }
            Module m = modules.get(i).getValue();
            if (m instanceof ReLU) {
                chosen = name;
                break;
            }
            if (m instanceof Conv2d || m instanceof Conv1d || !(m.typeName().startsWith("BatchNorm"))) {
                break;
            }
        }
        return chosen;
    }

    /** The output of {@code layer} for one input (eval mode, no gradients): [1, K, h, w] or [1, K, L]. */
    public static FeatureMaps featureMaps(Module model, Tensor image, String layer) {
        Scores.checkInput(image);
        try (ExplainMode mode = new ExplainMode(model); LayerCapture capture = new LayerCapture(model, layer);
             MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            model.call(image);
            Tensor a = capture.output();
            if (a.rank() != 4 && a.rank() != 3) {
                throw new IllegalArgumentException("feature maps: layer '" + layer + "' outputs " + a.shape()
                        + "; expected [1, K, h, w] or [1, K, L]");
            }
            int[] hw = Scores.plane(a);
            return new FeatureMaps(a.toFloatArray(), a.dim(1), hw[0], hw[1]);
        }
    }

    /** The name of the first convolution, whose filters look at the input directly. */
    public static String firstConvolution(Module model) {
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Conv2d || e.getValue() instanceof Conv1d) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException(model.typeName() + " has no convolution");
    }
}
