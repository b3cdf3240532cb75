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

# Runs ./cnn <args>; reports a missing subcommand (usage error, exit code 2) instead of failing.
cnn() {
  local name="$1"; shift
  if [ ! -x ./cnn ]; then echo "skipped $name: ./cnn launcher not found"; return 3; fi
  ./cnn "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  if [ $rc -eq 2 ] && grep -qiE 'unmatched argument|unknown (sub)?command|unknown option|usage' "$OUT/$name.log"; then
    echo "skipped $name: './cnn $1' is not available in this build"; return 3
  fi
  return $rc
}

section "first 20 losses, CPU vs GPU (1 epoch of the default model)"
cnn losses-cpu train --backend cpu --epochs 1 --limit-train 1280 --limit-test 256 --seed 42 --out "$OUT/run-cpu"; a=$?
cnn losses-gpu train --backend cuda --epochs 1 --limit-train 1280 --limit-test 256 --seed 42 --out "$OUT/run-gpu"; b=$?
if [ $a -eq 0 ] && [ $b -eq 0 ]; then
  for side in cpu gpu; do
    f=$(ls "$OUT/run-$side"/*.csv 2>/dev/null | head -1)
    if [ -n "$f" ]; then head -21 "$f" > "$OUT/losses-$side.csv"; else grep -iE 'loss' "$OUT/losses-$side.log" | head -20 > "$OUT/losses-$side.csv"; fi
  done
  paste -d' ' "$OUT/losses-cpu.csv" "$OUT/losses-gpu.csv" | head -21
  echo "(compare: differences should be small, growing slowly; TF32 convolutions add ~1e-3 relative)"
elif [ $a -ne 3 ] && [ $b -ne 3 ]; then ran 1 "train on cpu ($a) / cuda ($b): see $OUT/losses-*.log"; fi

section "device memory before/after 200 steps"
cnn memory bench --backend cuda --memory-steps 200; rc=$?
[ $rc -ne 3 ] && { cat "$OUT/memory.log"; ran $rc "memory check"; }
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=memory.used,memory.total --format=csv

section "resnet50 benchmark"
cnn resnet50 bench --backend cuda --model resnet50 --mode train --batch-size 32; rc=$?
[ $rc -ne 3 ] && { cat "$OUT/resnet50.log"; ran $rc "resnet50 benchmark"; }

section "summary"
echo "failures: $failures (logs in $OUT)"
exit $((failures > 0))
