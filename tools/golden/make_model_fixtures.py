#!/usr/bin/env python3
"""Writes the model-zoo test fixtures from torchvision (run from the repository root):

  models/src/test/resources/golden/keys/<model>.txt   parameter count, then "key<TAB>d0,d1,..." in state_dict order
  models/src/test/resources/golden/macs.txt           "<model> <input CxHxW> <conv+linear MACs>"
  models/src/test/resources/golden/logits/<model>.txt eval-mode logits for deterministic weights and input

The weights and the input are not stored: both sides compute them from the formula in `formula_value`
(ModelGoldenTest.java has the same formula). Requires Debian's python3-torch and python3-torchvision.
"""
import math
import os

import numpy as np
import torch
import torchvision.models as tvm

OUT = os.path.join("models", "src", "test", "resources", "golden")
TORCHVISION = ["alexnet", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn",
               "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnext50_32x4d", "wide_resnet50_2"]
# model, input (C, H, W), number of classes
LOGITS = [("resnet18", (3, 64, 64), 10), ("resnet50", (3, 64, 64), 10), ("vgg11_bn", (3, 32, 32), 10),
          ("alexnet", (3, 64, 64), 10)]


def formula_value(key, shape, k):
    """Tensor number k (in state_dict order) named key: values from sin(i * 0.37 + k), i the flat index."""
    n = int(np.prod(shape)) if len(shape) else 1
    s = np.sin(np.arange(n, dtype=np.float64) * 0.37 + k)
    if key.endswith("num_batches_tracked"):
        v = np.zeros(n)
    elif key.endswith("running_var"):
        v = 0.75 + 0.25 * s  # positive
    elif key.endswith("running_mean"):
        v = 0.1 * s
    elif len(shape) >= 2:  # conv / linear weight, scaled by fan-in
        fan_in = n // shape[0]
        v = s / math.sqrt(fan_in)
    elif key.endswith("weight"):  # batch-norm gamma
        v = 1.0 + 0.2 * s
    else:  # any bias
        v = 0.1 * s
    return v.reshape(shape)


def formula_input(shape):
    n = int(np.prod(shape))
    return np.sin(np.arange(n, dtype=np.float64) * 0.1).reshape(shape)


def write_keys(name):
    model = getattr(tvm, name)()
    params = sum(p.numel() for p in model.parameters())
    with open(os.path.join(OUT, "keys", name + ".txt"), "w") as f:
        f.write("# %s state_dict from torchvision %s: key, shape\n" % (name, __import__("torchvision").__version__))
        f.write("params %d\n" % params)
        for key, t in model.state_dict().items():
            f.write("%s\t%s\n" % (key, ",".join(str(d) for d in t.shape)))
    return model


def conv_linear_macs(model, input_shape):
    total = [0]

    def hook(m, inp, out):
        if isinstance(m, torch.nn.Conv2d):
            total[0] += out.numel() * (m.weight.numel() // m.out_channels)
        elif isinstance(m, torch.nn.Linear):
            total[0] += out.numel() * m.in_features

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    model.eval()
    with torch.no_grad():
        model(torch.zeros((1,) + input_shape))
    for h in handles:
        h.remove()
    return total[0]


def write_logits(name, input_shape, num_classes):
    model = getattr(tvm, name)(num_classes=num_classes).eval()
    state = {}
    for k, (key, t) in enumerate(model.state_dict().items()):
        state[key] = torch.tensor(formula_value(key, tuple(t.shape), k)).to(t.dtype)
    model.load_state_dict(state)
    x = formula_input((1,) + input_shape)
    with torch.no_grad():
        y32 = model(torch.tensor(x, dtype=torch.float32)).numpy().astype(np.float64)
        y64 = model.double()(torch.tensor(x, dtype=torch.float64)).numpy()
    err32 = float(np.max(np.abs(y32 - y64)))
    scale = float(np.max(np.abs(y64)))
    # A float32 forward differs from the exact result by rounding that grows with depth and summation order;
    # torch's own float32 run shows its size (err32). Any correct float32 implementation, adding the same
    # products in another order, has an error of the same size: allow 10x (cnn4j's CPU backend uses under a
    # quarter of that). A floor relative to the largest logit would be hundreds of times wider than either error
    # and let real bugs through (batch norm without its epsilon moves ResNet-18's logits by 2e-4).
    tol = 10 * err32
    with open(os.path.join(OUT, "logits", name + ".txt"), "w") as f:
        f.write("# %s, num_classes=%d, eval mode, formula weights and input (see make_model_fixtures.py)\n"
                % (name, num_classes))
        f.write("# float64 logits; torch float32 max abs error %.3g; largest |logit| %.4g\n" % (err32, scale))
        f.write("input 1,%s\n" % ",".join(str(d) for d in input_shape))
        f.write("tolerance %.6g\n" % tol)
        f.write("logits %s\n" % " ".join("%.9g" % v for v in y64.reshape(-1)))
    print("%s logits %s err32 %.3g scale %.4g" % (name, np.array2string(y64.reshape(-1)[:4], precision=4),
                                                   err32, scale))


def main():
    torch.set_num_threads(2)
    for sub in ("keys", "logits"):
        os.makedirs(os.path.join(OUT, sub), exist_ok=True)
    with open(os.path.join(OUT, "macs.txt"), "w") as f:
        f.write("# conv + linear multiply-accumulates for a batch of 1, from torchvision forward hooks\n")
        for name in TORCHVISION:
            model = write_keys(name)
            macs = conv_linear_macs(model, (3, 224, 224))
            f.write("%s 3x224x224 %d\n" % (name, macs))
            print(name, sum(p.numel() for p in model.parameters()), macs)
            del model
    for name, shape, classes in LOGITS:
        write_logits(name, shape, classes)


if __name__ == "__main__":
    main()
