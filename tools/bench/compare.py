#!/usr/bin/env python3
"""Runs the same benchmark cases through cnn4j (`./cnn bench --json`) and PyTorch, same machine, same run,
and prints a ratio table (cnn4j throughput / PyTorch throughput; > 1 means cnn4j is faster).

Usage: tools/bench/compare.py [--threads N] [--runs 5] [--quick] [--markdown]
Needs PyTorch (Debian: apt-get install python3-torch; for a fast BLAS also libopenblas0-pthread).
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CONV_SHAPES = [  # (N, C, H, W, K, kernel, stride, padding)
    (32, 64, 56, 56, 64, 3, 1, 1),
    (32, 128, 28, 28, 128, 3, 1, 1),
    (32, 256, 14, 14, 256, 3, 1, 1),
    (8, 3, 224, 224, 64, 7, 2, 3),
]


def torch_median(fn, runs, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def cnn_bench(args, runs, threads):
    env = dict(os.environ, CNN4J_CPU_THREADS=str(threads))
    cmd = [os.path.join(ROOT, "cnn"), "bench", "--backend", "cpu", "--runs", str(runs), "--json"] + args
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def cases(quick):
    import torch
    import torch.nn.functional as F
    import torchvision
    conv = CONV_SHAPES[:1] if quick else CONV_SHAPES
    for (n, c, h, w, k, r, s, p) in conv:
        x = torch.randn(n, c, h, w)
        wt = torch.randn(k, c, r, r)
        flops = 2.0 * n * k * ((h + 2 * p - r) // s + 1) * ((w + 2 * p - r) // s + 1) * c * r * r
        name = f"conv fwd N{n} C{c}->{k} {h}x{w} k{r} s{s}"
        yield (name, ["--op", "conv", "--input", f"{n},{c},{h},{w}", "--out-channels", str(k), "--kernel", str(r),
                      "--stride", str(s), "--padding", str(p)],
               lambda x=x, wt=wt, s=s, p=p: F.conv2d(x, wt, stride=s, padding=p), "gflops", flops)
        y = F.conv2d(x, wt, stride=s, padding=p)
        gy = torch.randn_like(y)

        def backward(x=x, wt=wt, gy=gy, s=s, p=p):
            torch.nn.grad.conv2d_input(x.shape, wt, gy, stride=s, padding=p)
            torch.nn.grad.conv2d_weight(x, wt.shape, gy, stride=s, padding=p)
        yield (name.replace("fwd", "bwd"), ["--op", "conv-backward", "--input", f"{n},{c},{h},{w}", "--out-channels",
               str(k), "--kernel", str(r), "--stride", str(s), "--padding", str(p)], backward, "gflops", 2 * flops)
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    yield ("gemm 2048^3", ["--op", "gemm"], lambda: torch.mm(a, b), "gflops", 2.0 * 2048 ** 3)
    model = torchvision.models.resnet18()
    model.eval()
    xi = torch.randn(8, 3, 224, 224)

    def infer():
        with torch.no_grad():
            model(xi)
    yield ("resnet18 infer b8", ["--model", "resnet18", "--mode", "infer", "--batch-size", "8"], infer,
           "images_per_second", 8)
    if not quick:
        tmodel = torchvision.models.resnet18()
        tmodel.train()
        opt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)
        xt = torch.randn(16, 3, 224, 224)
        yt = torch.randint(0, 1000, (16,))

        def train_step():
            opt.zero_grad()
            F.cross_entropy(tmodel(xt), yt).backward()
            opt.step()
        yield ("resnet18 train b16", ["--model", "resnet18", "--mode", "train", "--batch-size", "16"], train_step,
               "images_per_second", 16)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    try:
        import torch
    except ImportError:
        sys.exit("PyTorch is not installed (Debian: apt-get install python3-torch python3-torchvision)")
    torch.set_num_threads(args.threads)
    rows = []
    for name, cnn_args, fn, metric, work in cases(args.quick):
        t_ms = torch_median(fn, args.runs)
        torch_rate = work / (t_ms * 1e6) if metric == "gflops" else work / (t_ms / 1e3)
        ours = cnn_bench(cnn_args, args.runs, args.threads)
        our_rate = ours[metric]
        rows.append((name, metric, our_rate, torch_rate, our_rate / torch_rate))
        print(f"{name:38s} cnn4j {our_rate:9.2f}  torch {torch_rate:9.2f}  ratio {our_rate / torch_rate:5.2f}",
              file=sys.stderr)
    print(f"\nMachine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, {args.threads} threads;"
          f" PyTorch {torch.__version__}; {time.strftime('%Y-%m-%d')}; medians of {args.runs} runs\n")
    sep = "|" if args.markdown else " "
    print(f"{sep} case {sep} unit {sep} cnn4j {sep} PyTorch {sep} ratio {sep}")
    if args.markdown:
        print("|---|---|---:|---:|---:|")
    for name, metric, ours, theirs, ratio in rows:
        unit = "GFLOP/s" if metric == "gflops" else "img/s"
        print(f"{sep} {name} {sep} {unit} {sep} {ours:.1f} {sep} {theirs:.1f} {sep} {ratio:.2f}x {sep}")


if __name__ == "__main__":
    main()
