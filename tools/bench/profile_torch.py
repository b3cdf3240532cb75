#!/usr/bin/env python3
"""PyTorch's side of `cnn bench --model M --mode train|infer --profile`: the same step (SGD with momentum,
cross-entropy, random input and labels), timed per op type, per op and per layer, in the same categories, so the
two profiles can be read side by side and the gap shows op by op.

Usage: tools/bench/profile_torch.py --model resnet18 [--mode train|infer] [--batch-size 8] [--size 224]
                                    [--threads 2] [--runs 3] [--rows 25] [--json]
Op times come from torch.profiler (self CPU time of each aten op, charged to the forward, backward or optimizer
phase in which it started); layer times from forward hooks in separate, unprofiled steps (PyTorch 1.13 has no
backward pre-hook, so its per-layer table is forward only). Run it like PyTorch at its best: with tcmalloc
preloaded (LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4, Debian's libtcmalloc-minimal4);
the header says whether it was.
"""
import argparse
import json
import os
import statistics
import time

CATEGORIES = [  # (category, substrings of aten op names), first match wins; the same groups as cnn4j's profiler
    ("conv", ["conv"]),
    ("gemm", ["addmm", "::mm", "matmul", "linear", "bmm"]),
    ("batchnorm", ["batch_norm"]),
    ("activation", ["relu", "threshold", "hardtanh", "silu", "sigmoid", "gelu", "hardswish", "hardsigmoid", "tanh",
                    "elu"]),
    ("pool", ["pool", "::mean"]),
    ("loss", ["softmax", "nll_loss", "cross_entropy"]),
    ("memory", ["empty", "zeros", "copy_", "contiguous", "clone", "to_dense", "to_mkldnn"]),
]


def category(name, phase):
    if phase == "optimizer":
        return "optimizer"
    for cat, keys in CATEGORIES:
        if any(k in name for k in keys):
            return cat
    return "elementwise"


def build(args):
    import torch
    import torch.nn.functional as F
    import torchvision
    if args.model == "fmnist_cnn":  # cnn4j's default model, as tools/bench/fmnist_torch.py builds it
        import sys
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from fmnist_torch import model as fmnist_model
        model, channels, size, classes = fmnist_model(), 1, 28, 10
    else:
        model, channels, size, classes = getattr(torchvision.models, args.model)(), 3, args.size, 1000
    x = torch.randn(args.batch_size, channels, size, size)
    y = torch.randint(0, classes, (args.batch_size,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    train = args.mode == "train"
    model.train(train)

    def step(mark=lambda phase: None):
        if train:
            mark("forward")
            loss = F.cross_entropy(model(x), y)
            mark("optimizer")
            opt.zero_grad()
            mark("backward")
            loss.backward()
            mark("optimizer")
            opt.step()
        else:
            with torch.no_grad():
                mark("forward")
                model(x)
        mark(None)
    return model, step, f"{size}x{size}"


def profile_ops(step, runs):
    """Self CPU ms per step by (phase, op), phases found by the time each op started."""
    import torch
    from torch.profiler import ProfilerActivity, profile
    spans, current = [], [None, 0.0]

    def mark(phase):
        now = time.perf_counter_ns() / 1e3
        if current[0] is not None:
            spans.append((current[0], current[1], now))
        current[0], current[1] = phase, now
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        t0 = time.perf_counter_ns() / 1e3
        for _ in range(runs):
            step(mark)
    events = [e for e in prof.events() if e.name.startswith("aten::")]
    # the profiler's clock starts with the profile: align it with perf_counter by the first op's start
    origin = min(e.time_range.start for e in events) if events else 0.0
    table = {}
    for e in events:
        start = t0 + (e.time_range.start - origin)
        phase = next((p for p, a, b in spans if a <= start <= b), "forward")
        key = (phase, e.name)
        ms, calls = table.get(key, (0.0, 0))
        table[key] = (ms + e.self_cpu_time_total / 1e3, calls + 1)
    return {k: (ms / runs, calls // runs) for k, (ms, calls) in table.items()}


def layer_forward_ms(model, step, runs):
    """Forward ms per leaf module per step, from pre/post forward hooks in unprofiled steps."""
    starts, totals, handles = {}, {}, []
    for name, m in model.named_modules():
        if list(m.children()):
            continue

        def pre(mod, inp, name=name):
            starts[name] = time.perf_counter()

        def post(mod, inp, out, name=name):
            totals[name] = totals.get(name, 0.0) + (time.perf_counter() - starts[name]) * 1e3
        handles += [m.register_forward_pre_hook(pre), m.register_forward_hook(post)]
    for _ in range(runs):
        step()
    for h in handles:
        h.remove()
    types = dict((n, type(m).__name__) for n, m in model.named_modules())
    return {n: (types[n], ms / runs) for n, ms in totals.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="a torchvision builder name, e.g. resnet18, or fmnist_cnn")
    ap.add_argument("--mode", choices=["train", "infer"], default="infer")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--rows", type=int, default=25)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(args.threads)
    model, step, input_size = build(args)
    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    step_ms = statistics.median(times)
    ops = profile_ops(step, args.runs)
    layers = layer_forward_ms(model, step, args.runs)
    tcmalloc = "tcmalloc" in os.environ.get("LD_PRELOAD", "")
    if args.json:
        print(json.dumps({"step_ms": step_ms, "tcmalloc": tcmalloc,
                          "ops": [{"phase": p, "op": o, "category": category(o, p), "calls": c, "ms": ms}
                                  for (p, o), (ms, c) in ops.items()],
                          "layers": [{"layer": n, "type": t, "forward": ms} for n, (t, ms) in layers.items()]}))
        return
    total = sum(ms for ms, _ in ops.values())
    print(f"{args.model} {args.mode} b{args.batch_size} {input_size}: step {step_ms:.2f} ms (median of "
          f"{args.runs}, unprofiled); PyTorch {torch.__version__}, {args.threads} threads, tcmalloc "
          f"{'preloaded' if tcmalloc else 'NOT preloaded'}")
    print(f"profile: {args.runs} step(s); aten ops' self time {total:.1f} ms per step ({100 * total / step_ms:.0f}%"
          f" of the step)\n")
    cats = {}
    for (phase, op), (ms, _) in ops.items():
        row = cats.setdefault(category(op, phase), {"forward": 0.0, "backward": 0.0, "optimizer": 0.0})
        row[phase] += ms
    print(f"{'category':12s} {'forward':>10s} {'backward':>10s} {'optimizer':>10s} {'total ms':>10s} {'%':>6s}")
    for cat, row in sorted(cats.items(), key=lambda kv: -sum(kv[1].values())):
        s = sum(row.values())
        print(f"{cat:12s} {row['forward']:10.2f} {row['backward']:10.2f} {row['optimizer']:10.2f} {s:10.2f}"
              f" {100 * s / total:5.1f}%")
    print(f"\n{'phase':10s} {'op':40s} {'calls':>7s} {'ms':>10s} {'%':>6s}")
    for (phase, op), (ms, calls) in sorted(ops.items(), key=lambda kv: -kv[1][0])[:args.rows]:
        print(f"{phase:10s} {op:40s} {calls:7d} {ms:10.2f} {100 * ms / total:5.1f}%")
    print(f"\n{'layer':34s} {'type':20s} {'forward':>9s}")
    for name, (typ, ms) in sorted(layers.items(), key=lambda kv: -kv[1][1])[:args.rows]:
        print(f"{name:34s} {typ:20s} {ms:9.2f}")


if __name__ == "__main__":
    main()
