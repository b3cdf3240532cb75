#!/usr/bin/env bash
# Builds target/gpu-bundle/: everything a GPU machine needs to check cnn4j's CUDA backend in one call, with no
# Maven, no network and no Java installed there (see docs/gpu.md). Run from the repository root after
#   ./mvnw -B -DskipTests package      (builds cli/target/cnn.jar and compiles the test classes)
# Needs: a Temurin JDK 17+ (JLINK_JDK=/path/to/jdk, else the newest /usr/lib/jvm/*temurin*), gcc, binutils, zip,
# unzip, tar, gzip; ./mvnw fetches the JUnit console launcher from Maven Central (or ~/.m2).
# The runtime is jlink'ed from Temurin because its native floor is glibc 2.17; Debian's JDK needs 2.34 and is refused.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DEST=target/gpu-bundle
LIMIT_MIB=48
MODULES=java.desktop,java.sql,java.logging,jdk.unsupported,jdk.incubator.vector
die() { echo "gpu-bundle: $*" >&2; exit 1; }

JAR=cli/target/cnn.jar
CUDA_TESTS=cuda-backend/target/test-classes
CORE_TESTS=$(ls core/target/cnn4j-core-*-tests.jar 2>/dev/null | head -1 || true)
[ -f "$JAR" ] && [ -d "$CUDA_TESTS/org/cnn4j/cuda" ] && [ -n "$CORE_TESTS" ] \
  || die "missing $JAR, $CUDA_TESTS or core's test jar: run ./mvnw -B -DskipTests package first"

# --- the JDK to jlink from: Temurin (glibc 2.17 floor), never a distribution JDK built for a newer glibc
jdk="${JLINK_JDK:-}"
if [ -z "$jdk" ]; then
  jdk=$(ls -d /usr/lib/jvm/*temurin* 2>/dev/null | sort -V | tail -1 || true)
fi
[ -n "$jdk" ] && [ -x "$jdk/bin/jlink" ] || die "no Temurin JDK: set JLINK_JDK=/path/to/temurin-jdk (17+)"
grep -qiE 'Adoptium|Temurin' "$jdk/release" 2>/dev/null || die "$jdk is not a Temurin JDK (see its release file)"
floor=$(objdump -T "$jdk/lib/server/libjvm.so" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -1)
[ "$(printf '%s\n2.17\n' "$floor" | sort -V | tail -1)" = "2.17" ] || die "$jdk needs glibc $floor (> 2.17)"

rm -rf "$DEST" target/gpu-bundle-work
mkdir -p "$DEST"/{lib,tests,shim,tools} target/gpu-bundle-work
WORK=$ROOT/target/gpu-bundle-work

# --- Java runtime: jlink'ed, native symbols stripped, shipped as one tar.gz (run.sh unpacks it; ~30 vs ~90 MB)
"$jdk/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
    --output "$WORK/runtime" > /dev/null 2> >(grep -v 'incubator' >&2)
strip --strip-unneeded "$WORK/runtime/lib/server/libjvm.so" "$WORK"/runtime/lib/*.so 2>/dev/null || true
tar -C "$WORK" -czf "$DEST/runtime.tar.gz" runtime

# --- the application jar without the natives a GPU run never loads (PTX compiler, NVRTC, runtime API, legacy
# cuBLAS, jline's natives for other systems)
cp "$JAR" "$DEST/lib/cnn.jar"
zip -q -d "$DEST/lib/cnn.jar" 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*' 'lib/libJCudaRuntime-*' \
    'lib/libJCublas-*' 'org/jline/nativ/FreeBSD/*' 'org/jline/nativ/Mac/*' 'org/jline/nativ/Windows/*' \
    'org/jline/nativ/Linux/arm*' 'org/jline/nativ/Linux/ppc64/*' 'org/jline/nativ/Linux/x86/*' >/dev/null

# --- tests: the CUDA test classes and core's contract suite with its fixtures; the JUnit console launcher
cp -r "$CUDA_TESTS" "$DEST/tests/cuda-backend"
cp "$CORE_TESTS" "$DEST/tests/cnn4j-core-tests.jar"
junit=$(sed -n 's:.*<junit.version>5\.\(.*\)</junit.version>.*:1.\1:p' pom.xml)
[ -n "$junit" ] || die "cannot read junit.version (5.x) from pom.xml"
./mvnw -B -q dependency:copy -N -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit" \
    -DoutputDirectory="$DEST/lib" || die "Maven could not fetch junit-platform-console-standalone $junit"
mv "$DEST/lib/junit-platform-console-standalone-$junit.jar" "$DEST/lib/junit-console.jar"

# --- the cuBLAS shim (test aid for machines with only CUDA 13's cuBLAS): source, generated stubs, prebuilt library
tools/cuda/cublas-shim/build.sh "$JAR" "$DEST/shim" >/dev/null
cp tools/cuda/cublas-shim/build.sh "$DEST/shim/"

# --- run.sh, the verdict helper, the PyTorch comparison
cp tools/gpu-bundle/run.sh "$DEST/run.sh"
chmod +x "$DEST/run.sh"
"$jdk/bin/javac" --release 17 -Xlint:all -Werror -cp "$DEST/lib/cnn.jar" -d "$DEST/tools" tools/gpu-bundle/BundleCheck.java
cp tools/bench/compare.py "$DEST/tools/"
git rev-parse --short HEAD > "$DEST/VERSION" 2>/dev/null || echo unknown > "$DEST/VERSION"

rm -rf "$WORK"
bytes=$(du -sb "$DEST" | cut -f1)
mib=$(( (bytes + (1 << 20) - 1) >> 20 ))
[ "$mib" -le "$LIMIT_MIB" ] || die "$DEST is $mib MiB, over the $LIMIT_MIB MiB limit"
echo "gpu-bundle: built $DEST ($mib MiB, runtime from $(sed -n 's/^IMPLEMENTOR_VERSION="\(.*\)"/\1/p' "$jdk/release"))"
