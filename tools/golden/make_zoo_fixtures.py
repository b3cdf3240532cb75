#!/usr/bin/env python3
"""Writes the fixtures of the torchvision 0.14 model zoo beyond AlexNet/VGG/ResNet (run from the repository root):

  models/src/test/resources/golden/keys/<model>.txt.gz  parameter count, then "key<TAB>d0,d1,..." in state_dict order
                                                        (gzip: all of them together are 1.1 MB as text, 90 KB zipped)
  models/src/test/resources/golden/zoo_macs.txt         "<model> <input CxHxW> <conv+linear MACs>" (default input)
  models/src/test/resources/golden/logits/<model>.txt   eval-mode logits for formula weights and input
  models/src/test/resources/golden/grads/<model>.txt    one training step: loss and per-parameter gradient summaries
  core/src/test/resources/golden/zoo_ops.safetensors   op-level references (layer norm over channels, activations)

Weights and inputs are not stored: both sides compute them with zoo_value / zoo_input below (GoldenWeights.java
has the same formulas). These use a 32-bit integer hash rather than make_model_fixtures.py's sin(i * 0.37 + k):
rows of shifted sines span only two directions, so every layer of those weights has rank 2, which leaves channels
with almost no batch variance and makes training-mode gradients ill-conditioned (float32 and float64 torch
disagree in the first digit). Usage:

  /usr/bin/python3 tools/golden/make_zoo_fixtures.py [--only m1,m2] [--what keys,logits,grads,ops]

Requires Debian's python3-torch and python3-torchvision (torch 1.13, torchvision 0.14).
"""
import argparse
import collections
import gzip
import math
import os
import sys
import warnings

import numpy as np
import torch
import torchvision
import torchvision.models as tvm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_model_fixtures import OUT, conv_linear_macs  # noqa: E402

REGNETS = ["regnet_y_400mf", "regnet_y_800mf", "regnet_y_1_6gf", "regnet_y_3_2gf", "regnet_y_8gf", "regnet_y_16gf",
           "regnet_y_32gf", "regnet_y_128gf", "regnet_x_400mf", "regnet_x_800mf", "regnet_x_1_6gf", "regnet_x_3_2gf",
           "regnet_x_8gf", "regnet_x_16gf", "regnet_x_32gf"]
FAMILIES = {
    "googlenet": ["googlenet"],
    "inception": ["inception_v3"],
    "densenet": ["densenet121", "densenet161", "densenet169", "densenet201"],
    "squeezenet": ["squeezenet1_0", "squeezenet1_1"],
    "mobilenet_v2": ["mobilenet_v2"],
    "mobilenet_v3": ["mobilenet_v3_small", "mobilenet_v3_large"],
    "mnasnet": ["mnasnet0_5", "mnasnet0_75", "mnasnet1_0", "mnasnet1_3"],
    "shufflenet_v2": ["shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5", "shufflenet_v2_x2_0"],
    "efficientnet": ["efficientnet_b%d" % i for i in range(8)],
    "efficientnet_v2": ["efficientnet_v2_s", "efficientnet_v2_m", "efficientnet_v2_l"],
    "regnet": REGNETS,
    "convnext": ["convnext_tiny", "convnext_small", "convnext_base", "convnext_large"],
}
# the default input: 224x224, but Inception v3's and the EfficientNets' are the crop sizes of their ImageNet weights
DEFAULT_INPUT = {"inception_v3": (3, 299, 299), "efficientnet_b1": (3, 240, 240), "efficientnet_b2": (3, 288, 288),
                 "efficientnet_b3": (3, 300, 300), "efficientnet_b4": (3, 380, 380), "efficientnet_b5": (3, 456, 456),
                 "efficientnet_b6": (3, 528, 528), "efficientnet_b7": (3, 600, 600),
                 "efficientnet_v2_s": (3, 384, 384), "efficientnet_v2_m": (3, 480, 480),
                 "efficientnet_v2_l": (3, 480, 480)}
# eval-mode logits: (model, builder kwargs, input C,H,W); 10 classes
LOGITS = [
    ("squeezenet1_0", {}, (3, 48, 48)),
    ("densenet121", {}, (3, 32, 32)),
    ("shufflenet_v2_x1_0", {}, (3, 32, 32)),
    ("regnet_x_400mf", {}, (3, 32, 32)),
    ("regnet_y_400mf", {}, (3, 32, 32)),
    ("googlenet", {"transform_input": True}, (3, 32, 32)),
    ("inception_v3", {}, (3, 75, 75)),
    ("convnext_tiny", {}, (3, 32, 32)),
    ("mobilenet_v2", {}, (3, 32, 32)),
    ("mobilenet_v3_large", {}, (3, 32, 32)),
    ("mnasnet1_0", {}, (3, 32, 32)),
    ("efficientnet_b0", {}, (3, 32, 32)),
    ("efficientnet_v2_s", {}, (3, 32, 32)),
]
# one training step: (model, builder kwargs, input N,C,H,W); 10 classes, labels i % 10, dropout and stochastic
# depth off. 64x64 keeps several values per channel in the last training-mode batch norms (at 32x32 a batch of 2
# leaves one pixel, and a 2-value batch norm is ill-conditioned); MobileNet V2 and MNASNet 0.5 need 128x128 for
# torch's own float32 error to stay near 0.5%; Inception v3's auxiliary head needs a 17x17 Mixed_6e: 299x299.
GRADS = [
    ("squeezenet1_1", {}, (2, 3, 32, 32)),
    ("densenet121", {}, (2, 3, 64, 64)),
    ("shufflenet_v2_x0_5", {}, (2, 3, 64, 64)),
    ("regnet_y_400mf", {}, (2, 3, 64, 64)),
    ("googlenet", {}, (2, 3, 64, 64)),
    ("inception_v3", {}, (2, 3, 299, 299)),
    ("convnext_tiny", {}, (2, 3, 32, 32)),
    ("mobilenet_v2", {}, (2, 3, 128, 128)),
    ("mobilenet_v3_small", {}, (2, 3, 64, 64)),
    ("mnasnet0_5", {}, (2, 3, 128, 128)),
    ("efficientnet_b0", {}, (2, 3, 64, 64)),
    ("efficientnet_v2_s", {}, (2, 3, 64, 64)),
]
# loss = CE(logits) + w * sum of CE(aux logits): the papers' weights (Szegedy et al. 2015: 0.3; the Inception v3
# recipe: 0.4), which the Java models give each auxiliary output and train.TrainingLoss adds the same way
AUX_WEIGHT = {"googlenet": 0.3, "inception_v3": 0.4}
CLASSES = 10
FLOOR = 1e-3


def hash_uniform(n, k):
    """n values in [-1, 1): murmur3's 32-bit finaliser of i * 0x9E3779B1 + (k + 1) * 0x85EBCA77 (mod 2^32)."""
    m = np.uint64(0xFFFFFFFF)
    x = (np.arange(n, dtype=np.uint64) * np.uint64(0x9E3779B1) + np.uint64(((k + 1) * 0x85EBCA77) & 0xFFFFFFFF)) & m
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x85EBCA6B)) & m
    x ^= x >> np.uint64(13)
    x = (x * np.uint64(0xC2B2AE35)) & m
    x ^= x >> np.uint64(16)
    return x.astype(np.float64) / 2.0 ** 31 - 1.0


def zoo_value(key, shape, k):
    """Tensor number k (state_dict order) named key, from u = hash_uniform(numel, k)."""
    n = int(np.prod(shape)) if len(shape) else 1
    u = hash_uniform(n, k)
    if key.endswith("num_batches_tracked"):
        v = np.zeros(n)
    elif key.endswith("running_var"):
        v = 0.75 + 0.25 * u  # positive
    elif key.endswith("running_mean"):
        v = 0.1 * u
    elif len(shape) >= 2:  # conv / linear weight (and ConvNeXt's layer scale): variance 1 / fan_in
        v = u * math.sqrt(3.0 / (n // shape[0]))
    elif key.endswith("weight"):  # norm gamma
        v = 1.0 + 0.2 * u
    else:  # any bias
        v = 0.1 * u
    return v.reshape(shape)


def zoo_input(shape):
    return hash_uniform(int(np.prod(shape)), -1).reshape(shape)


def build(name, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # googlenet / inception_v3 warn about their init
        return getattr(tvm, name)(**kwargs)


def load_formula(model):
    own = model.state_dict()
    state = collections.OrderedDict()
    for k, (key, t) in enumerate(own.items()):
        state[key] = torch.tensor(zoo_value(key, tuple(t.shape), k)).to(t.dtype)
    state._metadata = own._metadata  # MNASNet's loader reads its version from there
    model.load_state_dict(state)
    return model


def write_keys(name):
    model = build(name)
    params = sum(p.numel() for p in model.parameters())
    text = "# %s state_dict from torchvision %s: key, shape\nparams %d\n" % (name, torchvision.__version__, params)
    text += "".join("%s\t%s\n" % (k, ",".join(str(d) for d in t.shape)) for k, t in model.state_dict().items())
    with gzip.GzipFile(os.path.join(OUT, "keys", name + ".txt.gz"), "wb", mtime=0) as f:
        f.write(text.encode())
    shape = DEFAULT_INPUT.get(name, (3, 224, 224))
    macs = conv_linear_macs(model, shape)
    print(name, params, macs, flush=True)
    return "%s %s %d\n" % (name, "x".join(str(d) for d in shape), macs)


def write_logits(name, kwargs, input_shape):
    model = load_formula(build(name, num_classes=CLASSES, **kwargs)).eval()
    x = zoo_input((1,) + input_shape)
    with torch.no_grad():
        y32 = model(torch.tensor(x, dtype=torch.float32)).numpy().astype(np.float64)
        y64 = model.double()(torch.tensor(x, dtype=torch.float64)).numpy()
    err32 = float(np.max(np.abs(y32 - y64)))
    scale = float(np.max(np.abs(y64)))
    # A float32 forward errs by rounding that grows with depth and summation order; torch's own float32 run
    # shows its size (err32), and any correct float32 implementation adding the same products in another order
    # errs about as much: allow 10x. (No floor relative to the largest logit: it would be far wider than either
    # error and let real bugs through.)
    tol = 10 * err32
    with open(os.path.join(OUT, "logits", name + ".txt"), "w") as f:
        f.write("# %s(num_classes=%d%s), eval mode, formula weights and input (see make_zoo_fixtures.py)\n"
                % (name, CLASSES, "".join(", %s=%s" % kv for kv in kwargs.items())))
        f.write("# float64 logits; torch float32 max abs error %.3g; largest |logit| %.4g\n" % (err32, scale))
        f.write("weights hash\n")
        f.write("input 1,%s\n" % ",".join(str(d) for d in input_shape))
        f.write("tolerance %.6g\n" % tol)
        f.write("logits %s\n" % " ".join("%.9g" % v for v in y64.reshape(-1)))
    print("%s logits err32 %.3g scale %.4g" % (name, err32, scale), flush=True)


def probe(n, k):
    """The fixed vector a gradient is dotted with: sin(i * 0.73 + k), so a permuted gradient does not pass."""
    return np.sin(np.arange(n, dtype=np.float64) * 0.73 + k)


def train_step(name, kwargs, input_shape, dtype):
    model = load_formula(build(name, num_classes=CLASSES, **kwargs)).to(dtype).train()
    for m in model.modules():
        if isinstance(m, (torch.nn.Dropout, torchvision.ops.StochasticDepth)):
            m.eval()  # the masks cannot match across frameworks; the Java side turns them off too
    x = torch.tensor(zoo_input(input_shape), dtype=dtype)
    labels = torch.tensor([i % CLASSES for i in range(input_shape[0])])
    out = model(x)
    outputs = list(out) if isinstance(out, tuple) else [out]
    ce = torch.nn.functional.cross_entropy
    loss = ce(outputs[0], labels)
    for aux in outputs[1:]:
        loss = loss + AUX_WEIGHT[name] * ce(aux, labels)
    loss.backward()
    grads = [(k, p.grad.detach().double().numpy().reshape(-1)) for k, p in model.named_parameters()]
    return float(loss), grads


def write_grads(name, kwargs, input_shape):
    loss64, g64 = train_step(name, kwargs, input_shape, torch.float64)
    loss32, g32 = train_step(name, kwargs, input_shape, torch.float32)
    # A float32 gradient differs from the float64 one by rounding, amplified by the training-mode batch norms.
    # Each tensor's norm and probe dot are compared relative to its scale |g| + floor (times |p| for the dot);
    # the floor, 1e-3 of the median |g|, covers gradients that are zero in exact arithmetic (a bias followed by
    # a training-mode batch norm) and so hold only rounding noise. The tolerance is 10x torch's own worst float32
    # error in those units.
    floor = FLOOR * float(np.median([np.linalg.norm(a) for _, a in g64]))
    rows = []
    worst = 0.0
    for k, ((key, a), (_, b)) in enumerate(zip(g64, g32)):
        p = probe(a.size, k)
        norm, dot = float(np.linalg.norm(a)), float(a @ p)
        scale = norm + floor
        worst = max(worst, abs(float(np.linalg.norm(b)) - norm) / scale,
                    abs(float(b @ p) - dot) / (scale * float(np.linalg.norm(p))))
        rows.append("%s %.12g %.12g\n" % (key, norm, dot))
    rel = 10 * worst
    with open(os.path.join(OUT, "grads", name + ".txt"), "w") as f:
        f.write("# %s(num_classes=%d%s), train mode with dropout and stochastic depth off, formula weights and\n"
                "# input, labels i %% %d,\n" % (name, CLASSES, "".join(", %s=%s" % kv for kv in kwargs.items()),
                                                 CLASSES))
        f.write("# loss = CE(logits) + %.1f * sum CE(aux logits); per parameter (named_parameters order): key,\n"
                "# |grad|, grad . sin(i * 0.73 + k) (k = parameter index); float64, torch float32 worst relative"
                " error %.3g\n" % (AUX_WEIGHT.get(name, 0), worst))
        f.write("weights hash\n")
        f.write("input %s\n" % ",".join(str(d) for d in input_shape))
        f.write("loss %.12g\n" % loss64)
        f.write("floor %.6g\n" % floor)
        f.write("relative_tolerance %.6g\n" % rel)
        f.writelines(rows)
    print("%s grads loss %.6g (f32 %.6g) worst rel err32 %.3g" % (name, loss64, loss32, worst), flush=True)


def op_fixtures():
    """core/src/test/resources/golden/zoo_ops.safetensors for ZooOpsContract, in make_op_fixtures.py's format:
    float32 inputs, float64 references stored as float32."""
    import torch.nn.functional as F
    from make_op_fixtures import Fixture, leaf
    fx = Fixture(10)
    # LayerNorm over the channels of NCHW, as ConvNeXt: permute to channels-last, layer_norm over C, permute back
    for name, shape, eps in [("layer_norm_c5_eps1e-6", (2, 5, 3, 4), 1e-6),
                             ("layer_norm_c3_eps1e-5", (1, 3, 2, 2), 1e-5)]:
        c = shape[1]
        x, w, b = fx.randn(*shape) * 2 + 0.3, fx.randn(c), fx.randn(c)
        x64, w64, b64 = leaf(x), leaf(w), leaf(b)
        y = F.layer_norm(x64.permute(0, 2, 3, 1), (c,), w64, b64, eps).permute(0, 3, 1, 2)
        dy = fx.randn(*shape)
        (y * dy.double()).sum().backward()
        fx.add(name, {"op": "layer_norm", "eps": eps}, x=x, w=w, b=b, dy=dy, y=y, dx=x64.grad, dw=w64.grad,
               db=b64.grad)
    # activations over -7..7 in steps of 0.25 (the kinks -3, 0, 3, 6 exactly) and 60 random values
    for name, fn in [("SILU", F.silu), ("HARDSWISH", F.hardswish), ("HARDSIGMOID", F.hardsigmoid),
                     ("RELU6", F.relu6)]:
        x = torch.cat([torch.arange(-28, 29, dtype=torch.float32) * 0.25, fx.randn(60) * 3])
        if name == "HARDSWISH":
            # torch's own Hardswish gradient at exactly 3 is 3/2 in its scalar and CUDA kernels but 1 in its
            # vectorised CPU kernel (which this many elements take); cnn4j follows the former, so leave 3 out
            x = x[x != 3]
        x64 = leaf(x)
        y = fn(x64)
        dy = fx.randn(*x.shape)
        (y * dy.double()).sum().backward()
        fx.add("activation_" + name.lower(), {"op": "activation", "activation": name}, x=x, dy=dy, y=y, dx=x64.grad)
    fx.save("zoo_ops.safetensors")
    print("zoo_ops.safetensors:", ", ".join(fx.cases))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="comma-separated model names (default: all)")
    ap.add_argument("--what", default="keys,logits,grads,ops")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    what = set(args.what.split(","))
    wanted = lambda n: not only or n in only  # noqa: E731
    torch.set_num_threads(2)
    for sub in ("keys", "logits", "grads"):
        os.makedirs(os.path.join(OUT, sub), exist_ok=True)
    if "keys" in what:
        macs_file = os.path.join(OUT, "zoo_macs.txt")
        lines = {}
        if os.path.exists(macs_file):
            for line in open(macs_file):
                if not line.startswith("#"):
                    lines[line.split()[0]] = line
        for members in FAMILIES.values():
            for name in members:
                if wanted(name):
                    lines[name] = write_keys(name)
        with open(macs_file, "w") as f:
            f.write("# conv + linear multiply-accumulates for a batch of 1 at the default input, from torchvision"
                    " forward hooks (eval mode)\n")
            for members in FAMILIES.values():
                f.writelines(lines[n] for n in members if n in lines)
    if "logits" in what:
        for name, kwargs, shape in LOGITS:
            if wanted(name):
                write_logits(name, kwargs, shape)
    if "ops" in what:
        op_fixtures()
    if "grads" in what:
        for name, kwargs, shape in GRADS:
            if wanted(name):
                write_grads(name, kwargs, shape)


if __name__ == "__main__":
    main()
