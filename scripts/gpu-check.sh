#!/usr/bin/env bash
# GPU acceptance check for cnn4j's CUDA backend; run from the repository root on a machine with an NVIDIA
# GPU and a JDK 17+ (or JAVA=/path/to/java of a carried runtime). Prints the environment, runs the CUDA
# contract suite, then the later checks through ./cnn subcommands. A missing subcommand or tool is reported
# and skipped, never fatal; the exit status is non-zero only when a check that ran failed.
#   scripts/gpu-check.sh [--quick]      (--quick: environment + contract suite only)
set -uo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA:-java}"
OUT="${GPU_CHECK_OUT:-target/gpu-check}"
mkdir -p "$OUT"
failures=0
section() { printf '\n==== %s ====\n' "$1"; }
ran() { if [ "$1" -eq 0 ]; then echo "[ok] $2"; else echo "[FAILED rc=$1] $2"; failures=$((failures + 1)); fi; }

section "environment"
if command -v nvidia-smi >/dev/null; then nvidia-smi; else echo "nvidia-smi not found (no NVIDIA driver?)"; fi
echo "--- libraries (ldconfig -p | grep -E 'cudnn|cublas')"
ldconfig -p 2>/dev/null | grep -E 'cudnn|cublas' || echo "no cuDNN/cuBLAS in the ldconfig cache (LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-})"
"$JAVA" -version 2>&1 | head -1

section "CUDA contract suite"
if [ -x ./mvnw ] && [ -d cuda-backend/src/test ]; then
  ./mvnw -B -pl cuda-backend -am test -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtest='org.cnn4j.cuda.**' 2>&1 | tee "$OUT/contract-suite.log" | grep -E 'Tests run|CUDA|FAIL|ERROR|BUILD' 
  rc=${PIPESTATUS[0]}
  if grep -q "CUDA tests skipped" "$OUT/contract-suite.log"; then
    echo "the CUDA provider reported unavailable; the GPU tests did not run:"
    grep -m1 "CUDA tests skipped" "$OUT/contract-suite.log"
    rc=1
  fi
  ran "$rc" "contract suite on CUDA (log: $OUT/contract-suite.log)"
elif ls cuda-backend/target/*-tests.jar >/dev/null 2>&1 && [ -n "${TEST_CLASSPATH:-}" ]; then
  # no Maven: run the JUnit console launcher from a prepared class path (see docs/gpu.md)
  "$JAVA" -jar "${JUNIT_CONSOLE:-junit-platform-console-standalone.jar}" -cp "$TEST_CLASSPATH" \
      --select-package org.cnn4j.cuda 2>&1 | tee "$OUT/contract-suite.log"
  ran "${PIPESTATUS[0]}" "contract suite on CUDA (console launcher)"
else
  echo "skipped: neither ./mvnw nor TEST_CLASSPATH + test jar available"
fi
[ "${1:-}" = "--quick" ] && { section "summary"; echo "failures: $failures"; exit $((failures > 0)); }

# Runs the cnn command (./cnn, or $CNN_JAR with $JAVA where there is no Maven), logging to $OUT/<name>.log.
cnn() {
  local name="$1"; shift
  if [ -n "${CNN_JAR:-}" ]; then "$JAVA" -jar "$CNN_JAR" "$@" > "$OUT/$name.log" 2>&1; else ./cnn "$@" > "$OUT/$name.log" 2>&1; fi
}

section "first 20 losses, CPU vs GPU (1 epoch of the default model on the embedded data)"
cnn losses-cpu train --backend cpu --epochs 1 --seed 42 --out "$OUT/run-cpu"; a=$?
cnn losses-gpu train --backend cuda --epochs 1 --seed 42 --out "$OUT/run-gpu"; b=$?
if [ $a -eq 0 ] && [ $b -eq 0 ]; then
  echo "epoch,step,loss(cpu) | loss(gpu)"
  paste -d'|' <(head -21 "$OUT/run-cpu/steps.csv") <(head -21 "$OUT/run-gpu/steps.csv" | cut -d, -f3)
  grep -h "final test accuracy" "$OUT/losses-cpu.log" "$OUT/losses-gpu.log"
  echo "(expect small differences that grow slowly: float32 summation order, TF32 convolutions on Ampere+)"
else
  ran 1 "train on cpu (rc $a) / cuda (rc $b): see $OUT/losses-*.log"
fi

section "device memory before/after 200 training steps (must not grow)"
cnn memory bench --backend cuda --model resnet18 --mode train --batch-size 32 --runs 3 --memory-steps 200 --json; rc=$?
cat "$OUT/memory.log"; ran $rc "memory check"
if [ $rc -eq 0 ]; then
  python3 - "$OUT/memory.log" <<'PY' || ran 1 "live bytes grew over 200 steps"
import json, sys
r = json.loads([l for l in open(sys.argv[1]) if l.startswith("{")][-1])
print(f"live bytes before {r['live_bytes_before']:,}, after {r['live_bytes_after']:,}")
sys.exit(r["live_bytes_after"] > r["live_bytes_before"])
PY
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=memory.used,memory.total --format=csv

section "benchmarks (cnn4j CUDA; PyTorch CUDA side by side when installed)"
if python3 -c 'import torch, torchvision, sys; sys.exit(not torch.cuda.is_available())' 2>/dev/null; then
  python3 tools/bench/compare.py --backend cuda --runs 5 --markdown | tee "$OUT/bench.md"; ran "${PIPESTATUS[0]}" "benchmark table"
else
  echo "PyTorch with CUDA not found: cnn4j numbers only"
  for args in "--model resnet50 --mode train --batch-size 64" "--model resnet50 --mode infer --batch-size 64" \
      "--op conv --input 32,64,56,56 --out-channels 64" "--op conv --input 32,128,28,28 --out-channels 128" \
      "--op conv --input 32,256,14,14 --out-channels 256" "--op conv --input 8,3,224,224 --out-channels 64 --kernel 7 --stride 2 --padding 3"; do
    # shellcheck disable=SC2086
    cnn bench bench --backend cuda $args; rc=$?; cat "$OUT/bench.log"; ran $rc "bench $args"
  done
fi

section "summary"
echo "failures: $failures (logs in $OUT)"
exit $((failures > 0))
