#!/usr/bin/env bash
# TEST AID ONLY (never shipped in the jar or the Docker image; see docs/gpu.md): builds a forwarding
# libcublas.so.12 that loads CUDA 13's libcublas.so.13, for GPU machines that have no CUDA 12 cuBLAS. The exported
# symbols and their version node are read from JCublas's JNI library (what `readelf -V` / `nm -D` show it
# imports from libcublas.so.12).
# Usage: tools/cuda/cublas-shim/build.sh [jar with lib/libJCublas2-*.so] [out-dir]
#          e.g. the jcublas-natives-12.6.0-linux-x86_64.jar from ~/.m2, or cli/target/cnn.jar
#        tools/cuda/cublas-shim/build.sh --from DIR [out-dir]
#          relinks from DIR's shim.c, stubs.S and version.map (what the first form leaves in its out-dir):
#          needs only gcc, no jar, unzip or binutils (the GPU bundle rebuilds the shim this way)
# Then:  LD_LIBRARY_PATH=<out-dir>:$LD_LIBRARY_PATH java ...   (CUBLAS_SHIM_TARGET=/path/libcublas.so.13 optional)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node="libcublas.so.12"
# Temurin's JDK needs glibc 2.17; the shim must not need more (dlopen & co. are pinned in shim.c).
glibc_floor="2.17"

link() {  # link SRC_DIR OUT_DIR
  # libdl.so.2 named explicitly: before glibc 2.34 dlopen@GLIBC_2.2.5 lives there, not in libc.so.6
  gcc -shared -fPIC -O2 -U_FORTIFY_SOURCE -o "$2/libcublas.so.12" "$1/shim.c" "$1/stubs.S" \
      -Wl,-soname,$node -Wl,--version-script="$1/version.map" -Wl,--no-as-needed -l:libdl.so.2
}

if [ "${1:-}" = "--from" ]; then
  src="$(cd "${2:?--from needs a directory}" && pwd)"
  out="${3:-$src}"
  mkdir -p "$out"
  link "$src" "$out"
  echo "cublas-shim: relinked $out/libcublas.so.12 from $src"
  exit 0
fi

jar="${1:-$HOME/.m2/repository/org/jcuda/jcublas-natives/12.6.0/jcublas-natives-12.6.0-linux-x86_64.jar}"
out="${2:-$here/build}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
unzip -q -o "$jar" 'lib/libJCublas*.so' -d "$work" || true
ls "$work"/lib/libJCublas2-*.so >/dev/null 2>&1 || { echo "cublas-shim: no lib/libJCublas2-*.so in $jar" >&2; exit 1; }
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
  echo "    .globl shim_count"; echo "    .hidden shim_count"; echo "    .balign 4"
  echo "shim_count: .long $n"
  echo "    .section .note.GNU-stack,\"\",@progbits"
} > "$out/stubs.S"
{ echo "$node {"; echo "  global:"; sed 's/$/;/' "$work/symbols"; echo "  local: *;"; echo "};"; } > "$out/version.map"
[ "$out/shim.c" -ef "$here/shim.c" ] || cp "$here/shim.c" "$out/shim.c"
link "$out" "$out"
newest=$(objdump -T "$out/libcublas.so.12" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -1)
if [ "$(printf '%s\n%s\n' "$newest" "$glibc_floor" | sort -V | tail -1)" != "$glibc_floor" ]; then
  echo "cublas-shim: the library needs GLIBC_$newest, newer than the $glibc_floor floor (objdump -T)" >&2
  exit 1
fi
echo "cublas-shim: built $out/libcublas.so.12 forwarding $n symbols (version node $node) to libcublas.so.13;" \
     "needs glibc >= $newest"
