#!/usr/bin/python3
"""ONNX import fixtures: small networks exported by PyTorch's torch.onnx.export (Debian python3-torch 1.13).

mini_resnet keeps its BatchNormalization nodes (TrainingMode.PRESERVE); the others let PyTorch fold batch norm
into the convolutions, as a default export does. Each fixture is NAME.onnx plus NAME.txt (input and PyTorch's eval-mode output as text), written to
models/src/test/resources/onnx/. The networks are small (a few thousand parameters) but use the layer mix of the
zoo families: a ResNet-style net (Conv+BN+ReLU, MaxPool, residual Add, GlobalAveragePool, Gemm), a VGG/AlexNet-style
net (biased convs, AdaptiveAvgPool to 2x2, Dropout, x.view(N, -1) which exports as a Shape/Gather/Concat/Reshape
chain) and a MobileNet-style net (grouped and dilated convs, ReLU6 as Clip, Hardswish, Hardsigmoid, squeeze-excite
Mul, Concat, LeakyReLU, Tanh, AvgPool with ceil_mode/count_include_pad=False, Softmax), at opsets 11, 13 and 17;
a ShuffleNet-style net (Transpose, Split, Slice) at each of opsets 11, 13 and 17 (Split's sizes are an attribute
before 13, an input from 13); and a decoder of transposed convolutions with GELU (ConvTranspose, Erf).

  /usr/bin/python3 tools/golden/make_onnx_fixtures.py [OUT_DIR]
  /usr/bin/python3 tools/golden/make_onnx_fixtures.py --torchvision DIR
      one torchvision model of every zoo family as its named builder makes it (random weights, seed 0, 10 classes,
      small inputs; ~1.5 GB, not committed) for the optional check OnnxTorchvisionImportTest
      (-Dcnn4j.onnx.torchvisionDir=DIR)
  /usr/bin/python3 tools/golden/make_onnx_fixtures.py --torchvision-small [OUT_DIR]
      the committed ones (models/src/test/resources/onnx/torchvision/, ~9 MB together): torchvision's own classes
      at their smallest (named builders with width multipliers, or the family's class built with a small
      configuration where the builder has no multiplier), 10 classes, 32x32 inputs
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


class MiniResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.conv2 = nn.Conv2d(8, 8, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.down = nn.Sequential(nn.Conv2d(8, 16, 1, 2, bias=False), nn.BatchNorm2d(16))
        self.conv3 = nn.Conv2d(8, 16, 3, 2, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(16)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        x = F.relu(self.bn2(self.conv2(x)) + x)
        x = F.relu(self.bn3(self.conv3(x)) + self.down(x))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class MiniVgg(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),
                                      nn.Conv2d(8, 12, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2))
        self.avgpool = nn.AdaptiveAvgPool2d((2, 2))
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Linear(48, 16), nn.ReLU(True), nn.Linear(16, 5))

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(x.view(x.size(0), -1))


class MiniMobile(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, 2, 1)
        self.dw = nn.Conv2d(8, 8, 3, 1, 2, dilation=2, groups=8)
        self.bn = nn.BatchNorm2d(8)
        self.se_fc1 = nn.Conv2d(8, 4, 1)
        self.se_fc2 = nn.Conv2d(4, 8, 1)
        self.branch = nn.Conv2d(8, 4, 1)
        self.pool = nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False)
        self.head = nn.Linear(12 * 5 * 5, 6)

    def forward(self, x):
        x = F.relu6(self.stem(x))
        y = F.hardswish(self.bn(self.dw(x)))
        s = F.hardsigmoid(self.se_fc2(F.relu(self.se_fc1(F.adaptive_avg_pool2d(y, 1)))))
        y = y * s
        z = torch.cat([y, F.leaky_relu(self.branch(x), 0.1)], dim=1)
        z = torch.tanh(self.pool(z))
        return F.softmax(self.head(torch.flatten(z, 1)), dim=1)


class MiniShuffle(nn.Module):
    """ShuffleNet-style tensor plumbing: channel shuffle (5-D Reshape + Transpose), torch.split with uneven sizes,
    chunk, basic and strided slicing with a negative start, and a channels-last permute before the head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, 1, 1)
        self.branch = nn.Conv2d(3, 5, 1)
        self.head = nn.Linear(4 * 3 * 7, 4)

    def forward(self, x):
        y = torch.tanh(self.stem(x))  # smooth, so finite differences of the imported graph see no ReLU kinks
        n, c, h, w = y.shape
        y = y.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)
        a, b = torch.split(y, [3, 5], dim=1)
        b = b * torch.sigmoid(self.branch(x))
        p, q = torch.chunk(torch.cat([b, a], dim=1), 2, dim=1)
        z = (p - q)[:, :, 1::2, -7:]
        return self.head(z.permute(0, 2, 3, 1).reshape(n, -1))


class MiniDecoder(nn.Module):
    """Transposed convolutions (grouped, strided with output padding; dilated with unequal strides and pads) and
    exact GELU, which exports as Div/Erf/Add/Mul."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2)
        self.up2 = nn.ConvTranspose2d(6, 3, (3, 2), stride=(1, 2), padding=(2, 0), dilation=(2, 1), bias=False)

    def forward(self, x):
        return torch.tanh(self.up2(F.gelu(self.up1(x))))


def randomise_bn(model, g):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):  # also torchvision's frozen and 1e-3-eps variants
            m.weight.data = torch.rand(m.num_features, generator=g) + 0.5
            m.bias.data = torch.rand(m.num_features, generator=g) * 0.4 - 0.2
            m.running_mean = torch.rand(m.num_features, generator=g) * 0.4 - 0.2
            m.running_var = torch.rand(m.num_features, generator=g) + 0.5


def export(name, model, shape, opset, out_dir, keep_bn=False):
    g = torch.Generator().manual_seed(0)
    randomise_bn(model, g)
    model.eval()
    x = torch.randn(*shape, generator=g)
    with torch.no_grad():
        y = model(x)
    path = os.path.join(out_dir, name + ".onnx")
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
                      # PRESERVE keeps BatchNormalization nodes (and their names); EVAL folds them into the convs
                      training=torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL)
    with open(os.path.join(out_dir, name + ".txt"), "w") as f:
        f.write(f"# {name}: torch {torch.__version__}, opset {opset}; written by tools/golden/make_onnx_fixtures.py\n")
        f.write("input_shape " + " ".join(map(str, x.shape)) + "\n")
        f.write("input " + " ".join(f"{v:.9g}" for v in x.flatten().tolist()) + "\n")
        f.write("output_shape " + " ".join(map(str, y.shape)) + "\n")
        f.write("output " + " ".join(f"{v:.9g}" for v in y.flatten().tolist()) + "\n")
    print("wrote", path, os.path.getsize(path), "bytes")


def torchvision_full():
    """(fixture name, builder, input shape, opset): the family members OnnxTorchvisionImportTest reads from DIR."""
    import torchvision.models as M
    return [
        # AlexNet and VGG at 224: their adaptive pools export only when the output divides the input
        ("alexnet", lambda: M.alexnet(num_classes=10), (1, 3, 224, 224), 13),
        ("vgg11_bn", lambda: M.vgg11_bn(num_classes=10), (1, 3, 224, 224), 13),
        ("resnet18", lambda: M.resnet18(num_classes=10), (2, 3, 64, 64), 13),
        ("resnext50_32x4d", lambda: M.resnext50_32x4d(num_classes=10), (1, 3, 64, 64), 13),
        ("wide_resnet50_2", lambda: M.wide_resnet50_2(num_classes=10), (1, 3, 64, 64), 13),
        ("googlenet", lambda: M.googlenet(num_classes=10, aux_logits=True, init_weights=True), (1, 3, 64, 64), 13),
        ("inception_v3", lambda: M.inception_v3(num_classes=10, transform_input=True, init_weights=True),
         (1, 3, 75, 75), 13),
        ("densenet121", lambda: M.densenet121(num_classes=10), (1, 3, 64, 64), 13),
        ("squeezenet1_0", lambda: M.squeezenet1_0(num_classes=10), (1, 3, 64, 64), 13),
        ("shufflenet_v2_x1_0", lambda: M.shufflenet_v2_x1_0(num_classes=10), (1, 3, 64, 64), 13),
        ("regnet_y_400mf", lambda: M.regnet_y_400mf(num_classes=10), (1, 3, 64, 64), 13),
        ("regnet_x_400mf", lambda: M.regnet_x_400mf(num_classes=10), (1, 3, 64, 64), 13),
        ("mobilenet_v2", lambda: M.mobilenet_v2(num_classes=10), (1, 3, 64, 64), 13),
        ("mobilenet_v3_large", lambda: M.mobilenet_v3_large(num_classes=10), (1, 3, 64, 64), 17),
        ("mnasnet1_0", lambda: M.mnasnet1_0(num_classes=10), (1, 3, 64, 64), 13),
        ("efficientnet_b0", lambda: M.efficientnet_b0(num_classes=10), (1, 3, 64, 64), 13),
        ("efficientnet_v2_s", lambda: M.efficientnet_v2_s(num_classes=10), (1, 3, 64, 64), 13),
        # opset 17: LayerNorm exports as LayerNormalization (decomposed into ReduceMean/Pow/Sqrt before 17)
        ("convnext_tiny", lambda: M.convnext_tiny(num_classes=10), (1, 3, 64, 64), 17),
    ]


def torchvision_small():
    """The committed fixtures: torchvision's classes at their smallest, 10 classes, 32x32 inputs."""
    from functools import partial
    import torchvision.models as M
    from torchvision.models.convnext import ConvNeXt, CNBlockConfig
    from torchvision.models.densenet import DenseNet
    from torchvision.models.efficientnet import EfficientNet, FusedMBConvConfig, MBConvConfig, _efficientnet_conf
    from torchvision.models.regnet import RegNet, BlockParams
    v2_stages = [FusedMBConvConfig(1, 3, 1, 16, 16, 1), FusedMBConvConfig(4, 3, 2, 16, 24, 1),
                 MBConvConfig(4, 3, 2, 24, 32, 1)]
    shape = (2, 3, 32, 32)
    return [
        ("tv_squeezenet1_1", lambda: M.squeezenet1_1(num_classes=10), shape, 13),
        ("tv_shufflenet_v2_x0_5", lambda: M.shufflenet_v2_x0_5(num_classes=10), shape, 11),
        ("tv_mobilenet_v2_w025", lambda: M.mobilenet_v2(num_classes=10, width_mult=0.25), shape, 13),
        ("tv_mobilenet_v3_small_w025", lambda: M.mobilenet_v3_small(num_classes=10, width_mult=0.25), shape, 17),
        ("tv_mnasnet_a025", lambda: M.MNASNet(0.25, num_classes=10), shape, 13),
        ("tv_efficientnet_b0_w025", lambda: EfficientNet(
            _efficientnet_conf("efficientnet_b0", width_mult=0.25, depth_mult=0.25)[0], 0.2, num_classes=10),
         shape, 13),
        ("tv_efficientnet_v2_small", lambda: EfficientNet(v2_stages, 0.2, num_classes=10, last_channel=128,
                                                          norm_layer=partial(nn.BatchNorm2d, eps=1e-3)), shape, 13),
        ("tv_regnet_y_small", lambda: RegNet(BlockParams.from_init_params(depth=4, w_0=16, w_a=8.0, w_m=2.0,
                                                                          group_width=8, se_ratio=0.25),
                                             num_classes=10), shape, 13),
        ("tv_densenet_small", lambda: DenseNet(growth_rate=8, block_config=(2, 2, 2, 2), num_init_features=16,
                                               num_classes=10), shape, 13),
        ("tv_convnext_small_cfg", lambda: ConvNeXt([CNBlockConfig(16, 32, 1), CNBlockConfig(32, 64, 1),
                                                    CNBlockConfig(64, 128, 1), CNBlockConfig(128, None, 1)],
                                                   0.1, num_classes=10), shape, 13),
    ]


def export_all(table, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, build, shape, opset in table:
        torch.manual_seed(0)
        export(name, build(), shape, opset, out_dir, keep_bn=True)


def main():
    torch.manual_seed(0)
    if len(sys.argv) == 3 and sys.argv[1] == "--torchvision":
        export_all(torchvision_full(), sys.argv[2])
        return
    if len(sys.argv) >= 2 and sys.argv[1] == "--torchvision-small":
        export_all(torchvision_small(), sys.argv[2] if len(sys.argv) > 2 else "models/src/test/resources/onnx/torchvision")
        return
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "models/src/test/resources/onnx"
    os.makedirs(out_dir, exist_ok=True)
    export("mini_resnet", MiniResNet(), (2, 3, 16, 16), 11, out_dir, keep_bn=True)
    export("mini_vgg", MiniVgg(), (2, 3, 16, 16), 13, out_dir)
    export("mini_mobile", MiniMobile(), (2, 3, 16, 16), 17, out_dir)
    for opset in (11, 13, 17):
        torch.manual_seed(0)
        export(f"mini_shuffle_opset{opset}", MiniShuffle(), (2, 3, 6, 9), opset, out_dir)
    torch.manual_seed(0)
    export("mini_decoder", MiniDecoder(), (2, 4, 3, 4), 13, out_dir)


if __name__ == "__main__":
    main()
