// Host versions of the CUDA builtins kernels.cu uses, so g++ can compile it unchanged (KernelEmulationTest).
// Blocks run one after another; the threads of a block run as fibers that switch at __syncthreads, so
// shared memory is a plain static (one block is live at a time). Device math comes from the host libm:
// the emulation checks indexing, control flow, barriers and op codes, not the GPU's last-bit rounding.
// kernels.cu uses no atomics, warp shuffles or fast-math intrinsics today; one that starts to needs a host
// version here (g++ reports the missing name).
#ifndef CNN4J_EMU_PRELUDE_H
#define CNN4J_EMU_PRELUDE_H

#include <cmath>
#include <cstring>

struct uint3 {
    unsigned x, y, z;
};
typedef uint3 dim3;

extern uint3 threadIdx, blockIdx;
extern dim3 blockDim, gridDim;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static

void __syncthreads();

inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }

inline float __int_as_float(int bits) {
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

using std::isnan;

#endif
