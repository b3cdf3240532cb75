#!/usr/bin/env bash
# GPU acceptance check for cnn4j's CUDA backend: runs the GPU bundle (tools/gpu-bundle, see docs/gpu.md), which
# carries its own Java runtime, the application jar, the CUDA tests and the JUnit launcher. This script never calls
# Maven: build the bundle first on a development machine,
#   ./mvnw -B -DskipTests package && tools/gpu-bundle/build.sh
# and on a GPU machine that has only the bundle, run it directly: bash target/gpu-bundle/run.sh
#   scripts/gpu-check.sh [--quick]    (--quick: environment and CUDA test suite only)
# Output: report.md and logs under $OUT (default target/gpu-out). Exit 0 all passed, 1 a stage failed, 3 no GPU.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/gpu-bundle/run.sh ]; then
  echo "gpu-check: no target/gpu-bundle; build it with: ./mvnw -B -DskipTests package && tools/gpu-bundle/build.sh" >&2
  exit 1
fi
exec bash target/gpu-bundle/run.sh "$@"
