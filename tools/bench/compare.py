#!/usr/bin/env python3
"""Runs the same benchmark cases through cnn4j (`./cnn bench --json`) and PyTorch, same machine, same run,
and prints a ratio table (cnn4j throughput / PyTorch throughput; > 1 means cnn4j is faster).

Usage: tools/bench/compare.py [--threads N] [--runs 5] [--repeat 3] [--quick] [--markdown] [--backend cpu|cuda]
                              [--only TEXT] [--tf32 on|off] [--jar cli/target/cnn.jar [--java /path/to/java]]
--runs is the timed repetitions of each case (after warm-up; the median counts); --repeat runs the whole list that
many times, interleaved, and the table shows the median ratio with its range (the machines are shared and noisy).
PyTorch runs at its best: when Debian's libtcmalloc-minimal4 is installed, the script re-runs itself with
tcmalloc in LD_PRELOAD (PyTorch's own CPU advice; glibc's allocator page-faults fresh multi-megabyte buffers on
every call), and the header says whether it was; cnn4j's JVM is started without it. --no-tcmalloc turns it off.
cnn4j runs through ./cnn (which builds the jar with Maven when it is missing or stale), or, with --jar, straight from
that jar with --java (default: java on PATH): Maven is never called then (the GPU bundle uses this).
--tf32 sets cuDNN's TF32 convolutions the same way in both (torch.backends.cudnn.allow_tf32 and -Dcnn4j.cuda.tf32;
default on, both libraries' default); GEMM is plain fp32 in both (PyTorch's matmul.allow_tf32=False, cnn4j's cuBLAS).
Needs PyTorch (Debian: apt-get install python3-torch; for a fast BLAS also libopenblas0-pthread). With
--backend cuda, cnn4j runs on its CUDA backend and PyTorch on its CUDA device, and the GPU cases (resnet50
training and inference at batch 64) are added.
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
TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"


def preload_tcmalloc():
    """Re-executes this script with tcmalloc preloaded, once, when the library is there."""
    if "--no-tcmalloc" in sys.argv or "tcmalloc" in os.environ.get("LD_PRELOAD", "") or not os.path.exists(TCMALLOC):
        return
    env = dict(os.environ, LD_PRELOAD=(TCMALLOC + " " + os.environ.get("LD_PRELOAD", "")).strip())
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

CONV_SHAPES = [  # (N, C, H, W, K, kernel, stride, padding)
    (32, 64, 56, 56, 64, 3, 1, 1),
    (32, 128, 28, 28, 128, 3, 1, 1),
    (32, 256, 14, 14, 256, 3, 1, 1),
    (8, 3, 224, 224, 64, 7, 2, 3),
]


def torch_median(fn, runs, sync, warmup=2):
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


# the ./cnn launcher's JVM settings, used as they are when running a given jar
JVM_FLAGS = ["-XX:+UseParallelGC", "-XX:MaxNewSize=128m", "--add-modules", "jdk.incubator.vector", "-Xmx4g"]


def cnn_command(opts):
    tf32 = f"-Dcnn4j.cuda.tf32={'true' if opts.tf32 == 'on' else 'false'}"
    if opts.jar:
        return [opts.java] + JVM_FLAGS + [tf32, "-jar", opts.jar], {}
    return [os.path.join(ROOT, "cnn")], {"JAVA_OPTS": " ".join(["-Xmx4g", tf32])}


def cnn_bench(args, runs, threads, backend, opts):
    launcher, extra_env = cnn_command(opts)
    env = dict(os.environ, CNN4J_CPU_THREADS=str(threads), **extra_env)
    env.pop("LD_PRELOAD", None)  # the allocator is PyTorch's tuning, not the JVM's
    cmd = launcher + ["bench", "--backend", backend, "--runs", str(runs), "--json"] + args
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def cases(quick, dev):
    import torch
    import torch.nn.functional as F
    import torchvision
    conv = CONV_SHAPES[:1] if quick else CONV_SHAPES
    for (n, c, h, w, k, r, s, p) in conv:
        x = torch.randn(n, c, h, w, device=dev)
        wt = torch.randn(k, c, r, r, device=dev)
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
    a, b = torch.randn(2048, 2048, device=dev), torch.randn(2048, 2048, device=dev)
    yield ("gemm 2048^3", ["--op", "gemm"], lambda: torch.mm(a, b), "gflops", 2.0 * 2048 ** 3)
    # (model, inference batch, training batch); None: that mode is not a case
    models = ([("resnet18", 8, 16), ("resnet50", None, 8), ("mobilenet_v2", 8, None), ("efficientnet_b0", None, 8)]
              if dev == "cpu" else [("resnet18", 8, 16), ("resnet50", 64, 64)])
    for arch, infer_batch, train_batch in models:
        if quick and arch != "resnet18":
            continue
        if infer_batch:
            model = getattr(torchvision.models, arch)().to(dev)
            model.eval()
            xi = torch.randn(infer_batch, 3, 224, 224, device=dev)

            def infer(model=model, xi=xi):
                with torch.no_grad():
                    model(xi)
            yield (f"{arch} infer b{infer_batch}", ["--model", arch, "--mode", "infer", "--batch-size",
                                                    str(infer_batch)], infer, "images_per_second", infer_batch)
        if quick or not train_batch:
            continue
        tmodel = getattr(torchvision.models, arch)().to(dev)
        tmodel.train()
        opt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)
        xt = torch.randn(train_batch, 3, 224, 224, device=dev)
        yt = torch.randint(0, 1000, (train_batch,), device=dev)

        def train_step(tmodel=tmodel, opt=opt, xt=xt, yt=yt):
            opt.zero_grad()
            F.cross_entropy(tmodel(xt), yt).backward()
            opt.step()
        yield (f"{arch} train b{train_batch}", ["--model", arch, "--mode", "train", "--batch-size", str(train_batch)],
               train_step, "images_per_second", train_batch)


def main():
    preload_tcmalloc()
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--backend", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--only", help="run only the cases whose name contains this text, e.g. resnet18")
    ap.add_argument("--tf32", choices=["on", "off"], default="on", help="cuDNN TF32 convolutions in both (CUDA)")
    ap.add_argument("--jar", help="run cnn4j from this built jar (never Maven), e.g. cli/target/cnn.jar")
    ap.add_argument("--java", default="java", help="the java executable for --jar (default: java on PATH)")
    ap.add_argument("--repeat", type=int, default=1, help="run the whole list this many times (median ratio shown)")
    ap.add_argument("--no-tcmalloc", action="store_true", help="run PyTorch with glibc's allocator")
    args = ap.parse_args()
    if args.jar and not os.path.isfile(args.jar):
        sys.exit(f"--jar {args.jar}: no such file")
    try:
        import torch
    except ImportError:
        sys.exit("PyTorch is not installed (Debian: apt-get install python3-torch python3-torchvision)")
    torch.set_num_threads(args.threads)
    dev = args.backend
    if dev == "cuda" and not torch.cuda.is_available():
        sys.exit("--backend cuda: PyTorch sees no CUDA device")
    if dev == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False  # PyTorch's default since 1.12; cnn4j's GEMM is fp32 too
        torch.backends.cudnn.allow_tf32 = args.tf32 == "on"  # matched by -Dcnn4j.cuda.tf32
    sync = torch.cuda.synchronize if dev == "cuda" else (lambda: None)
    case_list = [c for c in cases(args.quick, dev) if not args.only or args.only in c[0]]
    results = {}  # name -> list of (ours, theirs, ratio)
    for rep in range(args.repeat):
        for name, cnn_args, fn, metric, work in case_list:
            t_ms = torch_median(fn, args.runs, sync)
            torch_rate = work / (t_ms * 1e6) if metric == "gflops" else work / (t_ms / 1e3)
            our_rate = cnn_bench(cnn_args, args.runs, args.threads, args.backend, args)[metric]
            results.setdefault(name, []).append((our_rate, torch_rate, our_rate / torch_rate))
            print(f"[{rep + 1}/{args.repeat}] {name:38s} cnn4j {our_rate:9.2f}  torch {torch_rate:9.2f}"
                  f"  ratio {our_rate / torch_rate:5.2f}", file=sys.stderr, flush=True)
    device = torch.cuda.get_device_name() if dev == "cuda" else (platform.processor() or platform.machine())
    tf32 = f"; cuDNN TF32 {args.tf32} in both, GEMM fp32" if dev == "cuda" else ""
    allocator = "tcmalloc preloaded" if "tcmalloc" in os.environ.get("LD_PRELOAD", "") else "glibc malloc"
    print(f"\nMachine: {device}, {os.cpu_count()} cores, {args.threads} threads; PyTorch {torch.__version__}"
          f" ({allocator}); {time.strftime('%Y-%m-%d')}; each run the median of {args.runs} timings; "
          f"{args.repeat} run(s), median ratio{tf32}\n")
    sep = "|" if args.markdown else " "
    print(f"{sep} case {sep} unit {sep} cnn4j {sep} PyTorch {sep} ratio {sep} range {sep}")
    if args.markdown:
        print("|---|---|---:|---:|---:|---|")
    for name, _, _, metric, _ in case_list:
        runs = sorted(results[name], key=lambda r: r[2])
        ours, theirs, ratio = runs[(len(runs) - 1) // 2]  # the run with the median ratio (lower middle if even)
        unit = "GFLOP/s" if metric == "gflops" else "img/s"
        spread = f"{runs[0][2]:.2f}-{runs[-1][2]:.2f}" if len(runs) > 1 else ""
        print(f"{sep} {name} {sep} {unit} {sep} {ours:.1f} {sep} {theirs:.1f} {sep} {ratio:.2f}x {sep} {spread} {sep}")


if __name__ == "__main__":
    main()
