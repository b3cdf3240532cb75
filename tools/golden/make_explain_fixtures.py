#!/usr/bin/env python3
"""Reference explanation maps for cnn4j's explain tests (models/src/test/.../ExplainGoldenTest.java).

For torchvision's ResNet-18 and VGG-11 with deterministic pseudo-random weights and input (see `weights`; Java
computes the same numbers, so nothing but the maps is stored), computes in float64 the raw map of every method
exactly as cnn4j defines it:

  gradcam               ReLU(sum_k w_k A_k), w_k = mean_ij dS/dA_k            (layer's resolution)
  gradcam++             w_k = sum_ij relu(G) G^2 / (2 G^2 + sum(A_k) G^3 + 1e-6), as pytorch-grad-cam
  saliency              max_c |dS/dx_c|                                        (input resolution)
  integrated-gradients  sum_c x_c * mean_k dS/dx_c((k + 1/2)/m * x), zero baseline, m steps (midpoint rule)
  occlusion             mean over covering windows of S(x) - S(x with the window zeroed), Captum's windows

S is the logit of the class that the float64 model ranks first. The same maps are also computed in float32; the
largest relative difference (max |a - b| / max |b|) is stored as metadata, to show how far a float32
implementation can honestly be from the float64 reference, and must stay below WELL_CONDITIONED (the test
allows 1e-4, five times that). Writes
models/src/test/resources/golden/explain/<model>.safetensors. Run from the repository root:
python3 tools/golden/make_explain_fixtures.py [model ...]  (needs python3-torch, python3-torchvision, numpy).

Why not the sine formula of make_model_fixtures.py: its smooth, periodic filters cancel on its smooth input, so
VGG-11 (no batch norm) ends with logits that hardly depend on the input (occlusion changes them by 1e-5 of their
size) and float32 rounding alone moves its maps by 10-100 %: no test could tell a right map from a wrong one.
"""
import copy
import json
import math
import os
import sys

import numpy as np
import torch
import torchvision.models as tvm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_writer import write_safetensors  # noqa: E402

OUT = os.path.join("models", "src", "test", "resources", "golden", "explain")
# model, input (C, H, W), classes, weight variance times fan-in, Grad-CAM layer, integrated-gradients steps,
# occlusion patch and stride. VGG-11 has no batch norm, so it needs He's variance (2 / fan_in) to keep its
# activations from shrinking layer by layer; ResNet-18's batch norms (fixed statistics in eval mode) do not.
CASES = [("resnet18", (3, 96, 96), 10, 1.0, "layer4", 8, 24, 12),
         ("vgg11", (3, 64, 64), 10, 2.0, "features.19", 8, 32, 16)]
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
WELL_CONDITIONED = 2e-5


def uniform(n, seed):
    """n values in [-1, 1): SplitMix64's finaliser of the counter seed * 2^32 + i, top 53 bits."""
    with np.errstate(over="ignore"):
        z = np.arange(n, dtype=np.uint64) + np.uint64(seed) * np.uint64(1 << 32)
        z = z * GOLDEN + GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0 ** -52 - 1.0


def weights(key, shape, k, variance):
    """Tensor number k (state_dict order) named key; uniform values from seed k + 1 (the input uses seed 0)."""
    n = int(np.prod(shape)) if len(shape) else 1
    u = uniform(n, k + 1)
    if key.endswith("num_batches_tracked"):
        v = np.zeros(n)
    elif key.endswith("running_var"):
        v = 0.75 + 0.25 * u
    elif key.endswith("running_mean"):
        v = 0.1 * u
    elif len(shape) >= 2:  # conv / linear weight: uniform with the given variance times 1 / fan_in
        v = u * math.sqrt(3.0 * variance / (n // shape[0]))
    elif key.endswith("weight"):  # batch-norm gamma
        v = 1.0 + 0.2 * u
    else:  # any bias
        v = 0.1 * u
    return v.reshape(shape)


def build(name, classes, variance):
    model = getattr(tvm, name)(num_classes=classes).eval()
    state = {}
    for k, (key, t) in enumerate(model.state_dict().items()):
        state[key] = torch.tensor(weights(key, tuple(t.shape), k, variance)).to(t.dtype)
    model.load_state_dict(state)
    for m in model.modules():
        if isinstance(m, torch.nn.ReLU):
            m.inplace = False  # a hooked output must not be overwritten by a later in-place op
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def grad_cam(model, x, layer, cls, plus):
    kept = {}

    def hook(module, inputs, output):
        output.retain_grad()
        kept["a"] = output

    handle = dict(model.named_modules())[layer].register_forward_hook(hook)
    model(x.clone().requires_grad_(True))[0, cls].backward()
    handle.remove()
    a, g = kept["a"][0].detach(), kept["a"].grad[0]
    if plus:
        g2 = g * g
        alpha = g2 / (2 * g2 + a.sum(dim=(1, 2))[:, None, None] * g2 * g + 1e-6)
        alpha = torch.where(g != 0, alpha, torch.zeros_like(alpha))
        w = (torch.clamp(g, min=0) * alpha).sum(dim=(1, 2))
    else:
        w = g.mean(dim=(1, 2))
    return torch.relu((w[:, None, None] * a).sum(0))


def saliency(model, x, cls):
    xx = x.clone().requires_grad_(True)
    model(xx)[0, cls].backward()
    return xx.grad[0].abs().amax(dim=0)


def integrated_gradients(model, x, cls, steps):
    total = torch.zeros_like(x)
    for k in range(steps):
        xx = ((k + 0.5) / steps * x).requires_grad_(True)
        model(xx)[0, cls].backward()
        total += xx.grad
    return (x * total / steps)[0].sum(0)


def occlusion(model, x, cls, patch, stride):
    _, _, h, w = x.shape
    with torch.no_grad():
        base = model(x)[0, cls]
        total, count = torch.zeros(h, w, dtype=x.dtype), torch.zeros(h, w, dtype=x.dtype)
        for r in range(0, h - patch + 1, stride):
            for c in range(0, w - patch + 1, stride):
                xo = x.clone()
                xo[:, :, r:r + patch, c:c + patch] = 0
                total[r:r + patch, c:c + patch] += base - model(xo)[0, cls]
                count[r:r + patch, c:c + patch] += 1
    return torch.where(count > 0, total / count.clamp(min=1), torch.zeros_like(total))


def rel_error(a, ref):
    return float((a.double() - ref).abs().max() / ref.abs().max())


def float32_variants(model64):
    """float32 copies of the model that round differently: the default layout and channels-last."""
    m32 = copy.deepcopy(model64).float()
    return [(m32, lambda x: x.float()),
            (copy.deepcopy(m32).to(memory_format=torch.channels_last),
             lambda x: x.float().contiguous(memory_format=torch.channels_last))]


def worst_float32_error(method, variants, x, ref):
    """The largest relative error of the float32 variants' maps against the float64 reference."""
    return max(rel_error(method(m, to32(x)), ref) for m, to32 in variants)


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    only = sys.argv[1:]
    for name, shape, classes, variance, layer, steps, patch, stride in CASES:
        if only and name not in only:
            continue
        m64 = build(name, classes, variance).double()
        variants = float32_variants(m64)
        # the input as float32 values (what cnn4j gets), held in float64
        x = torch.tensor(uniform(int(np.prod(shape)), 0).reshape((1,) + shape)).float().double()
        with torch.no_grad():
            cls = int(m64(x).argmax())
        methods = {"gradcam": lambda m, x_: grad_cam(m, x_, layer, cls, False),
                   "gradcam++": lambda m, x_: grad_cam(m, x_, layer, cls, True),
                   "saliency": lambda m, x_: saliency(m, x_, cls),
                   "occlusion": lambda m, x_: occlusion(m, x_, cls, patch, stride)}
        # A ReLU input or a max-pool pair within float32 rounding of a tie at one of the evaluated points makes the
        # gradient jump there, and float32 rounding, which differs between implementations (and between convolution
        # algorithms), then decides the side: no float32 implementation can be held to a float64 reference there.
        # Every map must agree with float64 in float32 computed in two memory layouts (two summation orders);
        # integrated gradients evaluate many points, so their step count is the first from `steps` up for which
        # both agree.
        for ig_steps in range(steps, steps + 16):
            ig64 = integrated_gradients(m64, x, cls, ig_steps)
            ig_err = worst_float32_error(lambda m, x_: integrated_gradients(m, x_, cls, ig_steps), variants, x, ig64)
            if ig_err < WELL_CONDITIONED:
                break
            print("%s integrated gradients with %d steps: float32 error %.2g, trying more" % (name, ig_steps, ig_err))
        else:
            raise SystemExit("%s: no well-conditioned step count for integrated gradients" % name)
        ref = {k: f(m64, x) for k, f in methods.items()}
        ref["integrated-gradients"] = ig64
        meta = {"generator": "tools/golden/make_explain_fixtures.py", "torch": torch.__version__,
                "input": json.dumps([1] + list(shape)), "num_classes": str(classes), "class": str(cls),
                "variance": str(variance), "layer": layer, "steps": str(ig_steps), "patch": str(patch),
                "stride": str(stride)}
        for method, m in ref.items():
            err = ig_err if method == "integrated-gradients" else worst_float32_error(methods[method], variants, x, m)
            if err >= WELL_CONDITIONED:
                raise SystemExit("%s %s: float32 differs from float64 by %.2g; ill-conditioned" % (name, method, err))
            meta["float32_rel_error." + method] = "%.3g" % err
            print("%s %-21s %s max %.4g torch float32 rel. error %.2g" % (name, method, list(m.shape),
                                                                          float(m.abs().max()), err))
        write_safetensors(os.path.join(OUT, name + ".safetensors"), {k: v.float() for k, v in ref.items()}, meta)


if __name__ == "__main__":
    main()
