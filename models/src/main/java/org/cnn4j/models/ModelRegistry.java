package org.cnn4j.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.cnn4j.nn.Module;

/** The model zoo by name: {@code ModelRegistry.create("resnet50", ModelOptions.DEFAULTS)}. */
public final class ModelRegistry {
    /** A model's factory, its default input (C, H, W), a one-line description and its family ("DenseNet"). */
    public record Entry(String name, Function<ModelOptions, Module> factory, int[] defaultInput, String description,
                        String family) {
        /** A model outside the registry's families (an imported graph). */
        public Entry(String name, Function<ModelOptions, Module> factory, int[] defaultInput, String description) {
            this(name, factory, defaultInput, description, "other");
        }

        /** A copy: the arrays are shared between entries (every ImageNet model has the same one). */
        @Override
        public int[] defaultInput() {
            return defaultInput.clone();
        }
    }

    private static final int[] IMAGENET = {3, 224, 224};
    private static final int[] INCEPTION = {3, 299, 299};
    private static final int[] CIFAR = {3, 32, 32};
    private static final int[] MNIST = {1, 28, 28};
    /** Sequences travel as [N, C, 1, L]: 64 token ids, or one second of 8 kHz audio. */
    private static final int[] TOKENS = {1, 1, 64};
    private static final int[] WAVEFORM = {1, 1, 8000};
    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("AlexNet", "alexnet", AlexNet::alexnet, IMAGENET, "AlexNet (torchvision)");
        add("VGG", "vgg11", VGG::vgg11, IMAGENET, "VGG-11 (torchvision)");
        add("VGG", "vgg11_bn", VGG::vgg11Bn, IMAGENET, "VGG-11 with batch norm (torchvision)");
        add("VGG", "vgg13", VGG::vgg13, IMAGENET, "VGG-13 (torchvision)");
        add("VGG", "vgg13_bn", VGG::vgg13Bn, IMAGENET, "VGG-13 with batch norm (torchvision)");
        add("VGG", "vgg16", VGG::vgg16, IMAGENET, "VGG-16 (torchvision)");
        add("VGG", "vgg16_bn", VGG::vgg16Bn, IMAGENET, "VGG-16 with batch norm (torchvision)");
        add("VGG", "vgg19", VGG::vgg19, IMAGENET, "VGG-19 (torchvision)");
        add("VGG", "vgg19_bn", VGG::vgg19Bn, IMAGENET, "VGG-19 with batch norm (torchvision)");
        add("ResNet", "resnet18", ResNet::resnet18, IMAGENET, "ResNet-18 (torchvision)");
        add("ResNet", "resnet34", ResNet::resnet34, IMAGENET, "ResNet-34 (torchvision)");
        add("ResNet", "resnet50", ResNet::resnet50, IMAGENET, "ResNet-50 v1.5 (torchvision)");
        add("ResNet", "resnet101", ResNet::resnet101, IMAGENET, "ResNet-101 v1.5 (torchvision)");
        add("ResNet", "resnet152", ResNet::resnet152, IMAGENET, "ResNet-152 v1.5 (torchvision)");
        add("ResNeXt", "resnext50_32x4d", ResNet::resnext50_32x4d, IMAGENET, "ResNeXt-50 32x4d (torchvision)");
        add("Wide ResNet", "wide_resnet50_2", ResNet::wideResnet50_2, IMAGENET, "Wide ResNet-50-2 (torchvision)");
        add("GoogLeNet", "googlenet", GoogLeNet::googlenet, IMAGENET,
                "GoogLeNet / Inception v1 with BN, aux heads (torchvision)");
        add("Inception v3", "inception_v3", Inception3::inception_v3, INCEPTION,
                "Inception v3, aux head (torchvision)");
        add("DenseNet", "densenet121", DenseNet::densenet121, IMAGENET, "DenseNet-121 (torchvision)");
        add("DenseNet", "densenet161", DenseNet::densenet161, IMAGENET, "DenseNet-161 (torchvision)");
        add("DenseNet", "densenet169", DenseNet::densenet169, IMAGENET, "DenseNet-169 (torchvision)");
        add("DenseNet", "densenet201", DenseNet::densenet201, IMAGENET, "DenseNet-201 (torchvision)");
        add("SqueezeNet", "squeezenet1_0", SqueezeNet::squeezenet1_0, IMAGENET, "SqueezeNet 1.0 (torchvision)");
        add("SqueezeNet", "squeezenet1_1", SqueezeNet::squeezenet1_1, IMAGENET, "SqueezeNet 1.1 (torchvision)");
        add("ShuffleNet V2", "shufflenet_v2_x0_5", ShuffleNetV2::shufflenet_v2_x0_5, IMAGENET,
                "ShuffleNet V2 0.5x (torchvision)");
        add("ShuffleNet V2", "shufflenet_v2_x1_0", ShuffleNetV2::shufflenet_v2_x1_0, IMAGENET,
                "ShuffleNet V2 1.0x (torchvision)");
        add("ShuffleNet V2", "shufflenet_v2_x1_5", ShuffleNetV2::shufflenet_v2_x1_5, IMAGENET,
                "ShuffleNet V2 1.5x (torchvision)");
        add("ShuffleNet V2", "shufflenet_v2_x2_0", ShuffleNetV2::shufflenet_v2_x2_0, IMAGENET,
                "ShuffleNet V2 2.0x (torchvision)");
        add("RegNet", "regnet_y_400mf", RegNet::regnet_y_400mf, IMAGENET, "RegNetY-400MF (torchvision)");
        add("RegNet", "regnet_y_800mf", RegNet::regnet_y_800mf, IMAGENET, "RegNetY-800MF (torchvision)");
        add("RegNet", "regnet_y_1_6gf", RegNet::regnet_y_1_6gf, IMAGENET, "RegNetY-1.6GF (torchvision)");
        add("RegNet", "regnet_y_3_2gf", RegNet::regnet_y_3_2gf, IMAGENET, "RegNetY-3.2GF (torchvision)");
        add("RegNet", "regnet_y_8gf", RegNet::regnet_y_8gf, IMAGENET, "RegNetY-8GF (torchvision)");
        add("RegNet", "regnet_y_16gf", RegNet::regnet_y_16gf, IMAGENET, "RegNetY-16GF (torchvision)");
        add("RegNet", "regnet_y_32gf", RegNet::regnet_y_32gf, IMAGENET, "RegNetY-32GF (torchvision)");
        add("RegNet", "regnet_y_128gf", RegNet::regnet_y_128gf, IMAGENET, "RegNetY-128GF (torchvision)");
        add("RegNet", "regnet_x_400mf", RegNet::regnet_x_400mf, IMAGENET, "RegNetX-400MF (torchvision)");
        add("RegNet", "regnet_x_800mf", RegNet::regnet_x_800mf, IMAGENET, "RegNetX-800MF (torchvision)");
        add("RegNet", "regnet_x_1_6gf", RegNet::regnet_x_1_6gf, IMAGENET, "RegNetX-1.6GF (torchvision)");
        add("RegNet", "regnet_x_3_2gf", RegNet::regnet_x_3_2gf, IMAGENET, "RegNetX-3.2GF (torchvision)");
        add("RegNet", "regnet_x_8gf", RegNet::regnet_x_8gf, IMAGENET, "RegNetX-8GF (torchvision)");
        add("RegNet", "regnet_x_16gf", RegNet::regnet_x_16gf, IMAGENET, "RegNetX-16GF (torchvision)");
        add("RegNet", "regnet_x_32gf", RegNet::regnet_x_32gf, IMAGENET, "RegNetX-32GF (torchvision)");
        add("MobileNet V2", "mobilenet_v2", MobileNetV2::mobilenet_v2, IMAGENET, "MobileNet V2 (torchvision)");
        add("MobileNet V3", "mobilenet_v3_small", MobileNetV3::mobilenet_v3_small, IMAGENET,
                "MobileNet V3 small (torchvision)");
        add("MobileNet V3", "mobilenet_v3_large", MobileNetV3::mobilenet_v3_large, IMAGENET,
                "MobileNet V3 large (torchvision)");
        add("MNASNet", "mnasnet0_5", MNASNet::mnasnet0_5, IMAGENET, "MNASNet B1 0.5x (torchvision)");
        add("MNASNet", "mnasnet0_75", MNASNet::mnasnet0_75, IMAGENET, "MNASNet B1 0.75x (torchvision)");
        add("MNASNet", "mnasnet1_0", MNASNet::mnasnet1_0, IMAGENET, "MNASNet B1 1.0x (torchvision)");
        add("MNASNet", "mnasnet1_3", MNASNet::mnasnet1_3, IMAGENET, "MNASNet B1 1.3x (torchvision)");
        // the EfficientNets' default inputs are the crop sizes of torchvision's ImageNet weights
        add("EfficientNet", "efficientnet_b0", EfficientNet::efficientnet_b0, IMAGENET,
                "EfficientNet-B0 (torchvision)");
        add("EfficientNet", "efficientnet_b1", EfficientNet::efficientnet_b1, rgb(240),
                "EfficientNet-B1 (torchvision)");
        add("EfficientNet", "efficientnet_b2", EfficientNet::efficientnet_b2, rgb(288),
                "EfficientNet-B2 (torchvision)");
        add("EfficientNet", "efficientnet_b3", EfficientNet::efficientnet_b3, rgb(300),
                "EfficientNet-B3 (torchvision)");
        add("EfficientNet", "efficientnet_b4", EfficientNet::efficientnet_b4, rgb(380),
                "EfficientNet-B4 (torchvision)");
        add("EfficientNet", "efficientnet_b5", EfficientNet::efficientnet_b5, rgb(456),
                "EfficientNet-B5 (torchvision)");
        add("EfficientNet", "efficientnet_b6", EfficientNet::efficientnet_b6, rgb(528),
                "EfficientNet-B6 (torchvision)");
        add("EfficientNet", "efficientnet_b7", EfficientNet::efficientnet_b7, rgb(600),
                "EfficientNet-B7 (torchvision)");
        add("EfficientNetV2", "efficientnet_v2_s", EfficientNet::efficientnet_v2_s, rgb(384),
                "EfficientNetV2-S (torchvision)");
        add("EfficientNetV2", "efficientnet_v2_m", EfficientNet::efficientnet_v2_m, rgb(480),
                "EfficientNetV2-M (torchvision)");
        add("EfficientNetV2", "efficientnet_v2_l", EfficientNet::efficientnet_v2_l, rgb(480),
                "EfficientNetV2-L (torchvision)");
        add("ConvNeXt", "convnext_tiny", ConvNeXt::convnext_tiny, IMAGENET, "ConvNeXt-T (torchvision)");
        add("ConvNeXt", "convnext_small", ConvNeXt::convnext_small, IMAGENET, "ConvNeXt-S (torchvision)");
        add("ConvNeXt", "convnext_base", ConvNeXt::convnext_base, IMAGENET, "ConvNeXt-B (torchvision)");
        add("ConvNeXt", "convnext_large", ConvNeXt::convnext_large, IMAGENET, "ConvNeXt-L (torchvision)");
        add("CIFAR ResNet", "resnet20", CifarResNet::resnet20, CIFAR,
                "CIFAR ResNet-20 (He et al. 2016, option A shortcuts)");
        add("CIFAR ResNet", "resnet56", CifarResNet::resnet56, CIFAR,
                "CIFAR ResNet-56 (He et al. 2016, option A shortcuts)");
        add("LeNet", "lenet5", LeNet5::lenet5, MNIST, "LeNet-5 layout with ReLU and max pooling");
        add("small CNNs", "fmnist_cnn", FmnistCnn::fmnistCnn, MNIST, "small 2-conv BN CNN, the Fashion-MNIST default");
        add("1-D CNNs", "textcnn", TextCnn::textCnn, TOKENS, "TextCNN (Kim 2014): embedding, 3/4/5-token"
                + " convolutions, max over time");
        add("1-D CNNs", "m5", M5::m5, WAVEFORM, "M5 raw-waveform audio CNN (Dai et al. 2017)");
    }

    private ModelRegistry() {
    }

    private static int[] rgb(int size) {
        return new int[] {3, size, size};
    }

    private static void add(String family, String name, Function<ModelOptions, Module> factory, int[] input,
                            String description) {
        ENTRIES.put(name, new Entry(name, factory, input, description, family));
    }

    /** A model outside any torchvision family. */
    private static void add(String name, Function<ModelOptions, Module> factory, int[] input, String description) {
        add("other", name, factory, input, description);
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
