#!/usr/bin/env bash
# TEST AID ONLY (never shipped; see docs/gpu.md): builds a forwarding libcublas.so.12 that loads CUDA 13's
# libcublas.so.13, for GPU machines that have no CUDA 12 cuBLAS. The exported symbols and their version
# node are read from JCublas's JNI library (what `readelf -V` / `nm -D` show it imports from libcublas.so.12).
# Usage: tools/cuda/cublas-shim/build.sh [path/to/jcublas-natives-12.6.0-linux-x86_64.jar] [out-dir]
# Then:  LD_LIBRARY_PATH=<out-dir>:$LD_LIBRARY_PATH java ...   (CUBLAS_SHIM_TARGET=/path/libcublas.so.13 optional)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="${1:-$HOME/.m2/repository/org/jcuda/jcublas-natives/12.6.0/jcublas-natives-12.6.0-linux-x86_64.jar}"
out="${2:-$here/build}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unzip -q -o "$jar" 'lib/libJCublas2-*.so' 'lib/libJCublas-*.so' -d "$work"
node="libcublas.so.12"
readelf -V "$work"/lib/libJCublas2-*.so | grep -q "Name: $node" || { echo "no $node version node" >&2; exit 1; }
nm -D --undefined-only "$work"/lib/libJCublas*.so | sed -n "s/^ *U \(.*\)@$node\$/\1/p" | sort -u > "$work/symbols"
n=$(wc -l < "$work/symbols")
{
  echo "    .text"
  i=0
  while read -r s; do
    echo "    .globl $s"; echo "    .type $s, @function"
    echo "$s: jmp *shim_targets+$((8 * i))(%rip)"
    i=$((i + 1))
  done < "$work/symbols"
  echo "    .data"; echo "    .globl shim_targets"; echo "    .hidden shim_targets"; echo "    .balign 8"
  echo "shim_targets: .zero $((8 * n))"
  echo "    .section .rodata"
  i=0
  while read -r s; do echo "shim_name_$i: .asciz \"$s\""; i=$((i + 1)); done < "$work/symbols"
  echo "    .section .data.rel.ro"; echo "    .balign 8"; echo "    .globl shim_names"; echo "    .hidden shim_names"
  echo "shim_names:"
  for ((j = 0; j < n; j++)); do echo "    .quad shim_name_$j"; done
  echo "    .globl shim_count"; echo "    .balign 4"
  echo "shim_count: .long $n"
  echo "    .section .note.GNU-stack,\"\",@progbits"
} > "$work/stubs.S"
{ echo "$node {"; echo "  global:"; sed 's/$/;/' "$work/symbols"; echo "  local: *;"; echo "};"; } > "$work/version.map"
gcc -shared -fPIC -O2 -o "$out/libcublas.so.12" "$here/shim.c" "$work/stubs.S" \
    -Wl,-soname,libcublas.so.12 -Wl,--version-script="$work/version.map" -ldl
echo "cublas-shim: built $out/libcublas.so.12 forwarding $n symbols (version node $node) to libcublas.so.13"
