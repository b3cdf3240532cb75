#!/usr/bin/env bash
# cnn4j GPU proof bundle (built by tools/gpu-bundle/build.sh; see docs/gpu.md). Needs bash, coreutils and the NVIDIA
# driver; the Java runtime, the application, the tests and the JUnit launcher are inside. One call gives a verdict:
#   bash run.sh [--quick]  writes report.md and every log under $OUT (default: target/gpu-out beside the bundle);
#                          --quick runs stages 1 and 2 only
# Stages, each under its own time cap (the whole run under 8 minutes); a failed stage never stops the next:
#   1 environment  2 CUDA test suite (tag gpu)  3 first 20 losses CPU vs CUDA  4 memory over 200 ResNet-18 steps
#   5 ResNet-50 images/s, cnn4j and PyTorch (when present), if time is left
# Exit: 0 every stage passed, 1 a stage failed, 3 no GPU (GPU stages skipped, each with its reason).
# Knobs: OUT, GPU_BUNDLE_BUDGET_S (default 470), GPU_BUNDLE_XMX (default 8g), JAVA_OPTS (extra JVM options).
set -uo pipefail
QUICK=no
[ "${1:-}" = "--quick" ] && QUICK=yes
B=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$(dirname "$B")/gpu-out}
mkdir -p "$OUT" || { echo "run.sh: cannot create OUT=$OUT" >&2; exit 1; }
OUT=$(cd "$OUT" && pwd)
export HOME=${HOME:-$OUT/home}
BUDGET=${GPU_BUNDLE_BUDGET_S:-470}
T0=$SECONDS
REPORT=$OUT/report.md
SUMMARY=()     # "| stage | result | seconds | detail |" rows
FAILED=0
exec > >(tee "$OUT/run.log") 2>&1

say() { printf '\n==== %s ====\n' "$*"; }
left() { echo $((BUDGET - (SECONDS - T0))); }
# cap SECONDS: the smaller of SECONDS and what is left of the budget (keeping 10 s for the report)
cap() { local l; l=$(( $(left) - 10 )); [ "$1" -lt "$l" ] && echo "$1" || echo $((l > 5 ? l : 5)); }
record() {  # record STAGE RESULT SECONDS DETAIL   (RESULT: pass, FAIL, skipped)
  SUMMARY+=("| $1 | $2 | $3 | ${4//|//} |")
  [ "$2" = FAIL ] && FAILED=1
  echo "[$2] $1: $4"
}

# ---------------------------------------------------------------- Java runtime
# unpacked under $OUT, so the bundle itself stays small enough to carry again
RT=$OUT/.runtime/runtime
stamp="$(wc -c < "$B/runtime.tar.gz") $(cat "$B/VERSION" 2>/dev/null)"
if [ ! -x "$RT/bin/java" ] || [ "$(cat "$OUT/.runtime/stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$OUT/.runtime" && mkdir -p "$OUT/.runtime" && tar -C "$OUT/.runtime" -xzf "$B/runtime.tar.gz" \
    && echo "$stamp" > "$OUT/.runtime/stamp" || { echo "run.sh: cannot unpack the Java runtime into $OUT" >&2; exit 1; }
fi
JAVA=$RT/bin/java
NATIVES=$OUT/jcuda-natives
JVM=(-XX:+UseParallelGC -XX:MaxNewSize=128m --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true
     "-Xmx${GPU_BUNDLE_XMX:-8g}" "-Dcnn4j.cuda.nativeDir=$NATIVES" -Djava.io.tmpdir="$OUT/tmp")
# shellcheck disable=SC2206
[ -n "${JAVA_OPTS:-}" ] && JVM+=($JAVA_OPTS)
mkdir -p "$OUT/tmp"
APP=$B/lib/cnn.jar
cnn() { "$JAVA" "${JVM[@]}" -jar "$APP" "$@"; }   # never ./cnn: it rebuilds itself when file times look newer

# ---------------------------------------------------------------- libraries
# The directories of the CUDA libraries: ldconfig cache, CUDA toolkit dirs, pip wheels (site-packages/nvidia/*/lib).
LDCONFIG=$(command -v ldconfig || ls /sbin/ldconfig /usr/sbin/ldconfig 2>/dev/null | head -1)
candidate_dirs() {
  [ -n "$LDCONFIG" ] && "$LDCONFIG" -p 2>/dev/null | sed -n 's/.* => \(.*\)\/[^/]*$/\1/p' | sort -u
  ls -d /usr/local/cuda*/lib64 /usr/local/cuda*/targets/x86_64-linux/lib /usr/lib/x86_64-linux-gnu /usr/lib64 \
      /usr/lib/wsl/lib /opt/conda/lib 2>/dev/null
  local sp
  for sp in /usr/local/lib/python3*/dist-packages /usr/lib/python3/dist-packages /usr/local/lib/python3*/site-packages \
            "$HOME"/.local/lib/python3*/site-packages /opt/conda/lib/python3*/site-packages \
            $(python3 -c 'import site; print(" ".join(site.getsitepackages() + [site.getusersitepackages()]))' 2>/dev/null); do
    ls -d "$sp"/nvidia/*/lib 2>/dev/null
  done
}
DIRS=()
while read -r d; do
  [ -n "$d" ] && [[ " ${DIRS[*]} " != *" $d "* ]] && DIRS+=("$d")
done < <(candidate_dirs)
find_lib() {  # find_lib NAME-GLOB: first matching file in DIRS
  local d f
  for d in "${DIRS[@]}"; do
    for f in "$d"/$1; do [ -e "$f" ] && { echo "$f"; return 0; }; done
  done
  return 1
}
declare -A FOUND
LIBPATH=()
for lib in libcuda.so.1 libcudnn.so.9 libcublas.so.12 libcublasLt.so.12 libcublas.so.13 libcublasLt.so.13 'libnvrtc.so.1[0-9]*'; do
  if f=$(find_lib "$lib"); then
    FOUND[$lib]=$f
    d=$(dirname "$f")
    [[ " ${LIBPATH[*]} " == *" $d "* ]] || LIBPATH+=("$d")
  fi
done
SHIM=""
if [ -z "${FOUND[libcublas.so.12]:-}" ] && [ -n "${FOUND[libcublas.so.13]:-}" ]; then
  # only CUDA 13's cuBLAS here: the forwarding libcublas.so.12 (test aid), rebuilt with gcc if the prebuilt won't load
  SHIM=$B/shim
  if ldd "$SHIM/libcublas.so.12" 2>&1 | grep -qE 'not found|version .* not found'; then
    if command -v gcc >/dev/null && bash "$B/shim/build.sh" --from "$B/shim" "$OUT/shim"; then SHIM=$OUT/shim; fi
  fi
  export CUBLAS_SHIM_TARGET=${FOUND[libcublas.so.13]}
  LIBPATH=("$SHIM" "${LIBPATH[@]}")
fi
LD=$(IFS=:; echo "${LIBPATH[*]}")
export LD_LIBRARY_PATH=${LD}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export CUDA_LAUNCH_BLOCKING=1

GPU=no
if command -v nvidia-smi >/dev/null && nvidia-smi -L 2>/dev/null | grep -q '^GPU '; then GPU=yes
elif ls /dev/nvidia[0-9]* >/dev/null 2>&1; then GPU=yes; fi
NOGPU="no GPU: $(command -v nvidia-smi >/dev/null && echo 'nvidia-smi lists no GPU' || echo 'no nvidia-smi') and no /dev/nvidia0"

# ---------------------------------------------------------------- 1. environment
say "1. environment"
t=$SECONDS
{
  echo "bundle $(cat "$B/VERSION" 2>/dev/null), $(date -u '+%Y-%m-%d %H:%M UTC'), host $(uname -n), $(uname -srm)"
  echo "glibc: $(getconf GNU_LIBC_VERSION 2>/dev/null || ldd --version 2>&1 | head -1)"
  echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) threads;" \
       "memory $(( $(grep -m1 MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2) >> 20 )) GiB"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=index,name,driver_version,memory.total,memory.used,compute_cap --format=csv 2>&1
  else echo "nvidia-smi: not found"; fi
  echo "GPU present: $GPU"
  for lib in libcuda.so.1 libcudnn.so.9 libcublas.so.12 libcublasLt.so.12 libcublas.so.13 libcublasLt.so.13 'libnvrtc.so.1[0-9]*'; do
    echo "  $lib: ${FOUND[$lib]:-not found}"
  done
  [ -n "$SHIM" ] && echo "  using the cuBLAS shim $SHIM/libcublas.so.12 -> $CUBLAS_SHIM_TARGET"
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  echo "Java: $("$JAVA" -version 2>&1 | sed -n 2p)"
} | tee "$OUT/environment.log"
timeout -k 5 "$(cap 60)" "$JAVA" "${JVM[@]}" -jar "$APP" doctor > "$OUT/doctor.log" 2>&1
doctor_rc=$?
timeout -k 5 "$(cap 60)" "$JAVA" "${JVM[@]}" -jar "$APP" doctor --json > "$OUT/doctor.json" 2>/dev/null
cat "$OUT/doctor.log"
echo "--- ldd misses of the JCuda natives (extracted to $NATIVES)" | tee -a "$OUT/environment.log"
misses=$(for so in "$NATIVES"/*.so; do [ -e "$so" ] && ldd "$so" 2>&1 | grep 'not found' | sed "s|^|$(basename "$so"): |"; done)
echo "${misses:-none}" | tee -a "$OUT/environment.log"
cuda_line=$(grep -m1 '^CUDA ' "$OUT/doctor.log" | sed 's/^CUDA *//')
if [ "$doctor_rc" -ne 0 ]; then record "1 environment" FAIL $((SECONDS - t)) "cnn doctor exited $doctor_rc (see doctor.log)"
elif [ "$GPU" = yes ] && [ "$cuda_line" != available ]; then record "1 environment" FAIL $((SECONDS - t)) "GPU present but CUDA $cuda_line"
else record "1 environment" pass $((SECONDS - t)) "GPU: $GPU; CUDA $cuda_line"; fi

# ---------------------------------------------------------------- 2. CUDA test suite
say "2. CUDA test suite (tag gpu, TF32 off, CUDA_LAUNCH_BLOCKING=1)"
t=$SECONDS
required=false; [ "$GPU" = yes ] && required=true   # on a GPU machine an incomplete stack fails, never skips
CP="$APP:$B/tests/cuda-backend:$B/tests/cnn4j-core-tests.jar"
rm -rf "$OUT/junit"
timeout -k 10 "$(cap 240)" "$JAVA" "${JVM[@]}" -Dcnn4j.cuda.tf32=false -Dcnn4j.cuda.required=$required \
    -jar "$B/lib/junit-console.jar" execute --disable-banner --disable-ansi-colors --details=tree \
    --class-path "$CP" --select-package org.cnn4j.cuda --include-tag gpu --reports-dir "$OUT/junit" \
    > "$OUT/cuda-tests.log" 2>&1
rc=$?
grep -E '^\[ +[0-9]+ tests (found|successful|skipped|failed|aborted)' "$OUT/cuda-tests.log"
count() { local n; n=$(sed -n "s/^\[ *\([0-9]*\) tests $1 .*/\1/p" "$OUT/cuda-tests.log" | head -1); echo "${n:-0}"; }
found=$(count found); ok=$(count successful); skipped=$(count skipped); bad=$(( $(count failed) + $(count aborted) ))
# every class that carries @RequiresCuda must have been discovered
expected=$(cd "$B/tests/cuda-backend" && grep -l 'Lorg/cnn4j/cuda/RequiresCuda;' org/cnn4j/cuda/*.class 2>/dev/null \
           | grep -v '\$' | sed 's|/|.|g; s|\.class$||' | sort)
discovered=$(cat "$OUT"/junit/*.xml 2>/dev/null | grep -o 'classname="[^"]*"' | sed 's/classname="//; s/"//' | sort -u)
missing=$(comm -23 <(echo "$expected") <(echo "$discovered") | tr '\n' ' ')
nclasses=$(echo "$expected" | grep -c .)
skipline=$(grep -m1 '^CUDA tests skipped: ' "$OUT/cuda-tests.log")
nskiplines=$(grep -c '^CUDA tests skipped: ' "$OUT/cuda-tests.log")
detail="$found tests in $nclasses @RequiresCuda classes found, $ok passed, $skipped skipped, $bad failed"
if [ -n "$missing" ]; then record "2 CUDA tests" FAIL $((SECONDS - t)) "$detail; not discovered: $missing"
elif [ "$GPU" = yes ]; then
  if [ "$rc" -eq 0 ] && [ "$ok" -gt 0 ] && [ "$bad" -eq 0 ] && [ "$skipped" -eq 0 ]; then
    record "2 CUDA tests" pass $((SECONDS - t)) "$detail"
  else record "2 CUDA tests" FAIL $((SECONDS - t)) "$detail (rc $rc; see cuda-tests.log, junit/)"; fi
elif [ "$found" -gt 0 ] && [ "$found" = "$skipped" ] && [ "$nskiplines" -eq 1 ]; then
  record "2 CUDA tests" skipped $((SECONDS - t)) "$NOGPU; $detail; $skipline"
else record "2 CUDA tests" FAIL $((SECONDS - t)) "$detail, $nskiplines skip line(s) (rc $rc; see cuda-tests.log)"; fi

if [ "$QUICK" = yes ]; then
  for s in "3 losses CPU vs CUDA" "4 memory" "5 ResNet-50"; do record "$s" skipped 0 "--quick"; done
else

# ---------------------------------------------------------------- 3. losses CPU vs CUDA
say "3. one epoch of the default model, CPU and CUDA, seed 42: first 20 losses"
t=$SECONDS

check() { "$JAVA" -cp "$B/tools:$APP" BundleCheck "$@"; }
timeout -k 10 "$(cap 150)" "$JAVA" "${JVM[@]}" -jar "$APP" train --backend cpu --epochs 1 --seed 42 \
    --out "$OUT/train-cpu" > "$OUT/train-cpu.log" 2>&1
cpu_rc=$?
tail -1 "$OUT/train-cpu.log"
if [ "$cpu_rc" -ne 0 ] || [ "$(wc -l < "$OUT/train-cpu/steps.csv" 2>/dev/null || echo 0)" -lt 21 ]; then
  record "3 losses CPU vs CUDA" FAIL $((SECONDS - t)) "the CPU run failed (rc $cpu_rc, see train-cpu.log)"
elif [ "$GPU" = no ]; then
  head -21 "$OUT/train-cpu/steps.csv" > "$OUT/losses-cpu-first20.csv"
  record "3 losses CPU vs CUDA" skipped $((SECONDS - t)) "$NOGPU; CPU half ran: $(grep -m1 'final test accuracy' "$OUT/train-cpu.log")"
else
  timeout -k 10 "$(cap 150)" "$JAVA" "${JVM[@]}" -Dcnn4j.cuda.tf32=false -jar "$APP" train --backend cuda --epochs 1 \
      --seed 42 --out "$OUT/train-cuda" > "$OUT/train-cuda.log" 2>&1
  gpu_rc=$?
  tail -1 "$OUT/train-cuda.log"
  if [ "$gpu_rc" -ne 0 ]; then
    record "3 losses CPU vs CUDA" FAIL $((SECONDS - t)) "the CUDA run failed (rc $gpu_rc): $(grep -m1 '^cnn ' "$OUT/train-cuda.log")"
  elif check losses "$OUT/train-cpu/steps.csv" "$OUT/train-cuda/steps.csv" 20 > "$OUT/losses.md"; then
    record "3 losses CPU vs CUDA" pass $((SECONDS - t)) "$(tail -1 "$OUT/losses.md"); accuracy cpu/cuda:" \
        "$(grep -ho 'final test accuracy [0-9.]*%' "$OUT"/train-cpu.log "$OUT"/train-cuda.log | cut -d' ' -f4 | paste -sd/)"
  else record "3 losses CPU vs CUDA" FAIL $((SECONDS - t)) "$(tail -1 "$OUT/losses.md")"; fi
  cat "$OUT/losses.md"
fi

# ---------------------------------------------------------------- 4. memory
say "4. device memory over 200 ResNet-18 training steps"
t=$SECONDS
if [ "$GPU" = no ]; then record "4 memory" skipped 0 "$NOGPU"
else
  timeout -k 10 "$(cap 150)" "$JAVA" "${JVM[@]}" -jar "$APP" bench --backend cuda --model resnet18 --mode train \
      --batch-size 32 --warmup 2 --runs 3 --memory-steps 200 --json > "$OUT/memory.log" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ]; then record "4 memory" FAIL $((SECONDS - t)) "cnn bench exited $rc: $(grep -m1 '^cnn ' "$OUT/memory.log")"
  elif check memory "$OUT/memory.log" > "$OUT/memory.md"; then record "4 memory" pass $((SECONDS - t)) "$(tail -1 "$OUT/memory.md")"
  else record "4 memory" FAIL $((SECONDS - t)) "$(tail -1 "$OUT/memory.md")"; fi
  cat "$OUT/memory.md" 2>/dev/null
fi

# ---------------------------------------------------------------- 5. ResNet-50 throughput
say "5. ResNet-50 images/s, cnn4j and PyTorch, same GPU (conv TF32 on in both, GEMM fp32 in both)"
t=$SECONDS
if [ "$GPU" = no ]; then record "5 ResNet-50" skipped 0 "$NOGPU"
elif [ "$(left)" -lt 90 ]; then record "5 ResNet-50" skipped 0 "not enough time left ($(left) s)"
elif python3 -c 'import torch, torchvision, sys; sys.exit(not torch.cuda.is_available())' 2>/dev/null; then
  timeout -k 10 "$(cap 300)" python3 "$B/tools/compare.py" --backend cuda --only resnet50 --runs 5 --markdown \
      --tf32 on --java "$JAVA" --jar "$APP" > "$OUT/bench.md" 2> "$OUT/bench.log"
  rc=$?
  cat "$OUT/bench.md"
  if [ "$rc" -eq 0 ]; then record "5 ResNet-50" pass $((SECONDS - t)) "$(grep -c '^| resnet50' "$OUT/bench.md") cases, cnn4j vs PyTorch (bench.md)"
  else record "5 ResNet-50" FAIL $((SECONDS - t)) "compare.py exited $rc (bench.log)"; fi
else
  : > "$OUT/bench.md"
  rc=0
  for mode in train infer; do
    timeout -k 10 "$(cap 120)" "$JAVA" "${JVM[@]}" -jar "$APP" bench --backend cuda --model resnet50 --mode $mode \
        --batch-size 64 --runs 5 >> "$OUT/bench.md" 2>> "$OUT/bench.log" || rc=1
  done
  cat "$OUT/bench.md"
  if [ "$rc" -eq 0 ]; then record "5 ResNet-50" pass $((SECONDS - t)) "cnn4j only: no PyTorch with CUDA here (bench.md)"
  else record "5 ResNet-50" FAIL $((SECONDS - t)) "cnn bench failed (bench.log)"; fi
fi

fi  # --quick

# ---------------------------------------------------------------- report
if [ "$FAILED" -ne 0 ]; then verdict="FAILED (exit 1)"; code=1
elif [ "$GPU" = no ]; then verdict="no GPU (exit 3): GPU stages skipped"; code=3
else verdict="all stages passed (exit 0)"; code=0; fi
{
  echo "# cnn4j GPU bundle report"
  echo
  echo "$verdict; $((SECONDS - T0)) s. $(head -1 "$OUT/environment.log")"
  echo
  echo "| stage | result | seconds | detail |"
  echo "|---|---|---:|---|"
  printf '%s\n' "${SUMMARY[@]}"
  echo
  echo "## Environment"
  echo '```'
  cat "$OUT/environment.log" "$OUT/doctor.log" 2>/dev/null
  echo '```'
  for part in losses.md memory.md bench.md; do
    [ -s "$OUT/$part" ] && { echo; echo "## ${part%.md}"; echo; cat "$OUT/$part"; }
  done
  [ -s "$OUT/losses-cpu-first20.csv" ] && { echo; echo "## first 20 losses (CPU only)"; echo '```'; cat "$OUT/losses-cpu-first20.csv"; echo '```'; }
  echo
  echo "Logs: $(cd "$OUT" && ls -- *.log | tr '\n' ' ')junit/"
} > "$REPORT"
echo
echo "==== verdict: $verdict; report: $REPORT"
exit $code
