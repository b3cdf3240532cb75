package org.cnn4j.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.cnn4j.nn.Module;

/** The model zoo by name: {@code ModelRegistry.create("resnet50", ModelOptions.DEFAULTS)}. */
public final class ModelRegistry {
    /** A model's factory, its default input (C, H, W) and a one-line description. */
    public record Entry(String name, Function<ModelOptions, Module> factory, int[] defaultInput, String description) {
        /** A copy: the arrays are shared between entries (every ImageNet model has the same one). */
        @Override
        public int[] defaultInput() {
            return defaultInput.clone();
        }
    }

    private static final int[] IMAGENET = {3, 224, 224};
    private static final int[] CIFAR = {3, 32, 32};
    private static final int[] MNIST = {1, 28, 28};
    /** Sequences travel as [N, C, 1, L]: 64 token ids, or one second of 8 kHz audio. */
    private static final int[] TOKENS = {1, 1, 64};
    private static final int[] WAVEFORM = {1, 1, 8000};
    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("alexnet", AlexNet::alexnet, IMAGENET, "AlexNet (torchvision)");
        add("vgg11", VGG::vgg11, IMAGENET, "VGG-11 (torchvision)");
        add("vgg11_bn", VGG::vgg11Bn, IMAGENET, "VGG-11 with batch norm (torchvision)");
        add("vgg13", VGG::vgg13, IMAGENET, "VGG-13 (torchvision)");
        add("vgg13_bn", VGG::vgg13Bn, IMAGENET, "VGG-13 with batch norm (torchvision)");
        add("vgg16", VGG::vgg16, IMAGENET, "VGG-16 (torchvision)");
        add("vgg16_bn", VGG::vgg16Bn, IMAGENET, "VGG-16 with batch norm (torchvision)");
        add("vgg19", VGG::vgg19, IMAGENET, "VGG-19 (torchvision)");
        add("vgg19_bn", VGG::vgg19Bn, IMAGENET, "VGG-19 with batch norm (torchvision)");
        add("resnet18", ResNet::resnet18, IMAGENET, "ResNet-18 (torchvision)");
        add("resnet34", ResNet::resnet34, IMAGENET, "ResNet-34 (torchvision)");
        add("resnet50", ResNet::resnet50, IMAGENET, "ResNet-50 v1.5 (torchvision)");
        add("resnet101", ResNet::resnet101, IMAGENET, "ResNet-101 v1.5 (torchvision)");
        add("resnet152", ResNet::resnet152, IMAGENET, "ResNet-152 v1.5 (torchvision)");
        add("resnext50_32x4d", ResNet::resnext50_32x4d, IMAGENET, "ResNeXt-50 32x4d (torchvision)");
        add("wide_resnet50_2", ResNet::wideResnet50_2, IMAGENET, "Wide ResNet-50-2 (torchvision)");
        add("resnet20", CifarResNet::resnet20, CIFAR, "CIFAR ResNet-20 (He et al. 2016, option A shortcuts)");
        add("resnet56", CifarResNet::resnet56, CIFAR, "CIFAR ResNet-56 (He et al. 2016, option A shortcuts)");
        add("lenet5", LeNet5::lenet5, MNIST, "LeNet-5 layout with ReLU and max pooling");
        add("fmnist_cnn", FmnistCnn::fmnistCnn, MNIST, "small 2-conv BN CNN, the Fashion-MNIST default");
        add("textcnn", TextCnn::textCnn, TOKENS, "TextCNN (Kim 2014): embedding, 3/4/5-token convolutions, max over"
                + " time");
        add("m5", M5::m5, WAVEFORM, "M5 raw-waveform audio CNN (Dai et al. 2017)");
    }

    private ModelRegistry() {
    }

    private static void add(String name, Function<ModelOptions, Module> factory, int[] input, String description) {
        ENTRIES.put(name, new Entry(name, factory, input, description));
    }

    /** Every model name, in listing order. */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    /** The entry for {@code name}; unknown names fail with the list of known ones. */
    public static Entry entry(String name) {
        if (OnnxModels.isOnnx(name)) {
            return OnnxModels.entry(name);
        }
        Entry e = ENTRIES.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known models: "
                    + String.join(", ", ENTRIES.keySet()));
        }
        return e;
    }

    /**
     * Builds model {@code name} with parameters on the current backend ({@link org.cnn4j.backend.Backends}); a path
     * ending in {@code .onnx} loads that graph ({@link OnnxModels}).
     */
    public static Module create(String name, ModelOptions options) {
        return entry(name).factory().apply(options);
    }

    public static Module create(String name) {
        return create(name, ModelOptions.DEFAULTS);
    }
}
