#!/usr/bin/env python3
"""Writes the PyTorch .pth fixtures that cnn4j's .pth reader is tested against (run from anywhere):

  core/src/test/resources/pth/          a small model (conv, batch norm, linear) saved every way torch.save can:
                                        zip and legacy, fp32 and fp16, contiguous and as views into shared
                                        storages, plain, nested in a training checkpoint, as a plain dict, as
                                        Parameters, pickle protocols 2 to 5, re-zipped deflated and as zip64,
                                        the pre-0.4 tensor form and Python 2 strings; every storage type; and the
                                        reference values as safetensors (written here, not by cnn4j)
  cli/src/test/resources/org/cnn4j/cli/pth/
                                        lenet5 (a zoo model) as a zip .pth, as a legacy training checkpoint, and
                                        as safetensors, plus an input, for `cnn infer` bit-for-bit checks

Each file is loaded back with torch.load and compared with the reference before it is kept. With
--resnet18 DIR it writes instead torchvision's ResNet-18 (random weights, seed 0) as zip .pth, legacy .pth and
safetensors plus an input into DIR (45 MB each: not committed; see tools/golden/README.md for the check).
Needs Debian's python3-torch (1.13) and python3-torchvision. Legacy files name storages by Python object ids, so
a rerun changes their bytes but not their content.
"""
import argparse
import collections
import os
import pickle

import torch
import torch.nn as nn

from pth_common import ZipEntry, legacy_pickles, read_zip_entries, strings_as_py2, zip_bytes
from safetensors_writer import write_safetensors

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
CORE = os.path.join(ROOT, "core", "src", "test", "resources", "pth")
CLI = os.path.join(ROOT, "cli", "src", "test", "resources", "org", "cnn4j", "cli", "pth")


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3)
        self.bn = nn.BatchNorm2d(3)
        self.fc = nn.Linear(12, 5)

    def forward(self, x):
        return self.fc(torch.relu(self.bn(self.conv(x))).flatten(1))


def small_model():
    torch.manual_seed(0)
    m = Small()
    for _ in range(3):  # non-trivial running statistics and num_batches_tracked = 3
        m(torch.randn(4, 2, 4, 4))
    return m


def same(a, b):
    """Equal keys, dtypes, shapes and bits."""
    if list(a.keys()) != list(b.keys()):
        return False
    return all(a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and torch.equal(a[k], b[k]) for k in a)


def save(obj, path, expect=None, legacy=False, protocol=2):
    torch.save(obj, path, _use_new_zipfile_serialization=not legacy, pickle_protocol=protocol)
    check(path, obj if expect is None else expect)


def check(path, expect, key=None):
    loaded = torch.load(path)
    loaded = loaded if key is None else loaded[key]
    assert same(loaded, expect), path


def views_of(sd):
    """The same values as views into one shared storage: transposed blocks for matrices, stride 2 for vectors."""
    floats = [k for k, v in sd.items() if v.is_floating_point()]
    flat = torch.zeros(sum(2 * sd[k].numel() for k in floats) + 7)
    out, offset = collections.OrderedDict(), 7  # start off zero so every view has a storage offset
    for k, v in sd.items():
        if not v.is_floating_point():
            out[k] = v
            continue
        n = v.numel()
        if v.dim() >= 2:
            dims = list(range(v.dim()))[::-1]
            block = flat[offset:offset + n].view(*[v.shape[d] for d in dims])
            block.copy_(v.permute(*dims))
            out[k] = block.permute(*dims)  # reversed strides: not contiguous
        else:
            strided = flat[offset:offset + 2 * n:2]
            strided.copy_(v)
            out[k] = strided
        assert not out[k].is_contiguous() or n == 1
        offset += 2 * n
    return out


def rezip(src, dst, folder, deflate=False, zip64=False):
    """torch.save's archive with its folder renamed, entries optionally deflated or zip64."""
    entries = []
    for name, data in read_zip_entries(src):
        entries.append(ZipEntry(folder + "/" + name.split("/", 1)[1], data, deflate=deflate))
    with open(dst, "wb") as f:
        f.write(zip_bytes(entries, zip64=zip64))


class OldTensorPickling:
    """Pickles tensors the way PyTorch before 0.4 did: torch._utils._rebuild_tensor(storage, offset, size, stride)."""

    def __enter__(self):
        self.saved = torch.Tensor.__reduce_ex__
        torch.Tensor.__reduce_ex__ = lambda t, proto: (torch._utils._rebuild_tensor, (
            t.storage(), t.storage_offset(), tuple(t.size()), t.stride()))

    def __exit__(self, *exc):
        torch.Tensor.__reduce_ex__ = self.saved


def core_fixtures():
    os.makedirs(CORE, exist_ok=True)
    p = lambda name: os.path.join(CORE, name)
    model = small_model()
    sd = collections.OrderedDict((k, v.clone()) for k, v in model.state_dict().items())
    half = collections.OrderedDict((k, v.half() if v.is_floating_point() else v) for k, v in sd.items())
    write_safetensors(p("small_ref.safetensors"), sd)
    write_safetensors(p("small_ref_f16.safetensors"), half)

    for fmt, legacy in (("zip", False), ("legacy", True)):
        save(sd, p("small_%s.pth" % fmt), legacy=legacy)
        save(half, p("small_%s_f16.pth" % fmt), legacy=legacy)
        save(views_of(sd), p("small_%s_views.pth" % fmt), expect=sd, legacy=legacy)
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        model(torch.randn(2, 2, 4, 4)).sum().backward()
        opt.step()  # momentum buffers: tensors inside the optimizer's nested state
        checkpoint = {"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 7,
                      "config": {"lr": 0.1, "name": "small", "milestones": [3, 6], "nesterov": False, "seed": None}}
        torch.save(checkpoint, p("small_%s_checkpoint.pth" % fmt), _use_new_zipfile_serialization=not legacy)
        check(p("small_%s_checkpoint.pth" % fmt), checkpoint["model"], key="model")
        write_safetensors(p("small_%s_checkpoint_model.safetensors" % fmt), checkpoint["model"])
        model = small_model()  # undo the step for the next format
    assert same(model.state_dict(), sd)

    save(dict(sd), p("small_zip_dict.pth"))
    torch.save({"model": sd, "ema": half, "epoch": 3}, p("small_zip_two_models.pth"))
    params = model.state_dict(keep_vars=True)
    assert any(isinstance(v, nn.Parameter) for v in params.values())
    save(params, p("small_zip_params.pth"), expect=sd)
    save(sd, p("small_zip_p3.pth"), protocol=3)
    save(sd, p("small_zip_p4.pth"), protocol=4)
    save(sd, p("small_legacy_p5.pth"), legacy=True, protocol=5)
    rezip(p("small_zip.pth"), p("small_zip_deflated.pth"), "archive", deflate=True)
    check(p("small_zip_deflated.pth"), sd)
    rezip(p("small_zip.pth"), p("small_zip64.pth"), "weights", zip64=True)
    with OldTensorPickling():
        torch.save(sd, p("small_legacy_v1.pth"), _use_new_zipfile_serialization=False)
    check(p("small_legacy_v1.pth"), sd)
    pickles, storages = legacy_pickles(p("small_legacy.pth"))
    with open(p("small_legacy_py2.pth"), "wb") as f:
        f.write(b"".join(strings_as_py2(x) for x in pickles) + storages)
    check(p("small_legacy_py2.pth"), sd)

    # every storage type, a non-contiguous byte view, a scalar and an empty tensor
    base = torch.tensor([[1.5, -2.25, 3.0], [0.125, 65504.0, -0.0]])
    dtypes = collections.OrderedDict([
        ("f32", base), ("f16", base.half()), ("bf16", base.bfloat16()), ("f64", base.double()),
        ("i64", torch.tensor([[1, -2, 3], [2 ** 40, 0, -7]])), ("i32", torch.tensor([[1, -2, 3], [2 ** 20, 0, -7]],
                                                                                   dtype=torch.int32)),
        ("u8", torch.tensor([[0, 1, 2], [253, 254, 255]], dtype=torch.uint8)),
        ("u8_t", torch.tensor([[0, 1, 2], [253, 254, 255]], dtype=torch.uint8).t()),
        ("expanded", torch.tensor([1.0, -2.0]).expand(3, 2)), ("scalar", torch.tensor(2.5)),
        ("empty", torch.zeros(0, 3))])
    for fmt, legacy in (("zip", False), ("legacy", True)):
        save(dtypes, p("dtypes_%s.pth" % fmt), legacy=legacy)
    as_float = collections.OrderedDict((k, v.float().contiguous()) for k, v in dtypes.items())
    write_safetensors(p("dtypes_ref.safetensors"), as_float)


def lenet5():
    class LeNet5(nn.Module):  # cnn4j's models/LeNet5.java, layer for layer
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2, 2),
                                          nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2))
            self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84),
                                            nn.ReLU(), nn.Linear(84, 10))

    torch.manual_seed(1)
    m = LeNet5()
    with torch.no_grad():
        for v in m.state_dict().values():  # few distinct values, so git compresses the files well
            v.copy_((v * 256).round() / 256)
    return m


def cli_fixtures():
    os.makedirs(CLI, exist_ok=True)
    p = lambda name: os.path.join(CLI, name)
    m = lenet5()
    sd = m.state_dict()
    save(sd, p("lenet5.pth"))
    opt = torch.optim.SGD(m.parameters(), lr=0.01)
    checkpoint = {"model": sd, "optimizer": opt.state_dict(), "epoch": 12}
    torch.save(checkpoint, p("lenet5_checkpoint_legacy.pth"), _use_new_zipfile_serialization=False)
    check(p("lenet5_checkpoint_legacy.pth"), sd, key="model")
    write_safetensors(p("lenet5.safetensors"), sd)
    torch.manual_seed(2)
    write_safetensors(p("lenet5_input.safetensors"), {"input": torch.randn(2, 1, 28, 28)})


def resnet18(folder):
    import torchvision
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(0)
    m = torchvision.models.resnet18()
    for _ in range(2):  # non-trivial running statistics
        m(torch.randn(4, 3, 64, 64))
    sd = m.state_dict()
    save(sd, os.path.join(folder, "resnet18.pth"))
    save(sd, os.path.join(folder, "resnet18_legacy.pth"), legacy=True)
    write_safetensors(os.path.join(folder, "resnet18.safetensors"), sd)
    write_safetensors(os.path.join(folder, "input.safetensors"), {"input": torch.randn(2, 3, 224, 224)})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resnet18", metavar="DIR", help="only write the ResNet-18 check files into DIR")
    args = parser.parse_args()
    if args.resnet18:
        resnet18(args.resnet18)
        return
    core_fixtures()
    cli_fixtures()
    for folder in (CORE, CLI):
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                print("%8d  %s" % (os.path.getsize(path), os.path.relpath(path, ROOT)))


if __name__ == "__main__":
    main()
