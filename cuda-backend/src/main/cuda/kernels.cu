// cnn4j custom CUDA kernels. Compiled to PTX by tools/cuda/build-ptx.sh and shipped as the resource
// org/cnn4j/cuda/kernels.ptx; the Java side (CudaKernels) launches them by name. Every kernel is
// extern "C" so its PTX name is the name written here. Formulas mirror the Backend javadoc and the
// CPU reference kernels; indices are 64-bit so tensors up to 2^31-1 elements are safe. Op codes and the
// block size come from ops.h, generated from org.cnn4j.cuda.OpCodes. An unknown op code gives NaN.
// cuda-backend/src/test/cuda compiles this file on the host too (KernelEmulationTest): keep to the CUDA
// builtins its prelude emulates.
#include <stdint.h>
#include "ops.h"

#define MAX_RANK 8
#define IDX ((long long)blockIdx.x * blockDim.x + threadIdx.x)
#define QUIET_NAN __int_as_float(0x7fc00000)

// ---- broadcast / reduction geometry passed by value (96 + 4 bytes) ----
struct Geometry {
    int rank;
    int outDims[MAX_RANK];
    int aStrides[MAX_RANK];   // 0 where a is broadcast along that axis
    int bStrides[MAX_RANK];
};

__device__ __forceinline__ float apply_binary(int op, float a, float b) {
    switch (op) {
        case BINARY_ADD: return a + b;
        case BINARY_SUB: return a - b;
        case BINARY_MUL: return a * b;
        case BINARY_DIV: return a / b;
        default: return QUIET_NAN;
    }
}

extern "C" __global__ void binary_same(int op, const float* a, const float* b, float* out, long long n) {
    long long i = IDX;
    if (i < n) out[i] = apply_binary(op, a[i], b[i]);
}

extern "C" __global__ void binary_bcast(int op, const float* a, const float* b, float* out, long long n,
                                        Geometry g) {
    long long i = IDX;
    if (i >= n) return;
    long long rem = i, ai = 0, bi = 0;
    for (int d = g.rank - 1; d >= 0; d--) {
        long long c = rem % g.outDims[d];
        rem /= g.outDims[d];
        ai += c * g.aStrides[d];
        bi += c * g.bStrides[d];
    }
    out[i] = apply_binary(op, a[ai], b[bi]);
}

extern "C" __global__ void unary_op(int op, const float* x, float* out, long long n) {
    long long i = IDX;
    if (i >= n) return;
    float v = x[i];
    float r;
    switch (op) {
        case UNARY_NEG: r = -v; break;
        case UNARY_EXP: r = expf(v); break;
        case UNARY_LOG: r = logf(v); break;
        case UNARY_SQRT: r = sqrtf(v); break;
        case UNARY_SQUARE: r = v * v; break;
        case UNARY_ABS: r = fabsf(v); break;
        case UNARY_SIGN: r = v > 0.f ? 1.f : (v < 0.f ? -1.f : v); break;  // as Math.signum: -0, +0, NaN kept
        default: r = QUIET_NAN; break;
    }
    out[i] = r;
}

extern "C" __global__ void scalar_op(int op, const float* x, float s, float* out, long long n) {
    long long i = IDX;
    if (i >= n) return;
    float v = x[i];
    float r;
    switch (op) {
        case SCALAR_ADD: r = v + s; break;
        case SCALAR_MUL: r = v * s; break;
        case SCALAR_POW: r = powf(v, s); break;
        case SCALAR_RSUB: r = s - v; break;
        case SCALAR_RDIV: r = s / v; break;
        default: r = QUIET_NAN; break;
    }
    out[i] = r;
}

// Sums src over the axes g marks as reduced: g.outDims = src dims, g.aStrides[d] = 1 where dst keeps axis d,
// 0 where it is summed. Each output's reduced range is cut into `splits` chunks of `chunk` elements: block b
// sums chunk b % splits of output b / splits into dst[b], so dst holds outputs x splits partial sums that the
// next launch sums the same way until splits == 1 (ReducePlan). Each thread adds its strided share of the
// chunk in order, then the block adds the CNN4J_BLOCK partials in a fixed tree: the result depends only on
// the shapes, never on scheduling. Launch with CNN4J_BLOCK threads.
extern "C" __global__ void reduce_sum_to(const float* src, float* dst, int outputs, int splits, int chunk,
                                         Geometry g) {
    __shared__ float partial[CNN4J_BLOCK];
    int j = blockIdx.x / splits, part = blockIdx.x % splits;
    if (j >= outputs) return;
    // decompose j over kept axes (row-major), building the base offset in src
    long long srcStride[MAX_RANK];
    long long s = 1;
    for (int d = g.rank - 1; d >= 0; d--) { srcStride[d] = s; s *= g.outDims[d]; }
    long long rem = j, base = 0, reduced = 1;
    for (int d = g.rank - 1; d >= 0; d--) {
        if (g.aStrides[d]) { base += (rem % g.outDims[d]) * srcStride[d]; rem /= g.outDims[d]; }
        else reduced *= g.outDims[d];
    }
    long long begin = (long long) part * chunk;
    long long end = min(reduced, begin + chunk);
    float acc = 0.f;
    for (long long r = begin + threadIdx.x; r < end; r += blockDim.x) {
        long long q = r, off = base;
        for (int d = g.rank - 1; d >= 0; d--) {
            if (!g.aStrides[d]) { off += (q % g.outDims[d]) * srcStride[d]; q /= g.outDims[d]; }
        }
        acc += src[off];
    }
    partial[threadIdx.x] = acc;
    __syncthreads();
    for (unsigned w = blockDim.x / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w) partial[threadIdx.x] += partial[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0) dst[blockIdx.x] = partial[0];
}

extern "C" __global__ void copy_along_axis(const float* src, float* dst, long long outer, int srcAxis,
                                           int dstAxis, int srcStart, int dstStart, int length, long long inner) {
    long long i = IDX;
    long long n = outer * length * inner;
    if (i >= n) return;
    long long in = i % inner;
    long long a = (i / inner) % length;
    long long o = i / (inner * length);
    dst[(o * dstAxis + dstStart + a) * inner + in] = src[(o * srcAxis + srcStart + a) * inner + in];
}

// ---- activations: each org.cnn4j.backend.Activation entry has its code (ACT_<NAME> in ops.h) in both switches ----
// exact GELU: x * Phi(x), Phi(x) = 0.5 * erfc(-x / sqrt(2)) (as the CPU backend): 0.5 * (1 + erf(x / sqrt(2)))
// cancels for x < -3 and is 0 below about -5.5, where erfc keeps full relative accuracy.
__device__ __forceinline__ float normal_cdf(float v) { return 0.5f * erfcf(v * -0.70710678118654752f); }
__device__ __forceinline__ float sigmoidf(float v) { return 1.f / (1.f + expf(-v)); }
// min(max(v, 0), 6) as std::min/std::max in PyTorch's kernels: NaN passes through, -0 stays -0 (fmaxf would not)
__device__ __forceinline__ float clamp6(float v) { float low = v < 0.f ? 0.f : v; return 6.f < low ? 6.f : low; }

extern "C" __global__ void activation_fwd(int op, const float* x, float* y, float alpha, long long n) {
    long long i = IDX;
    if (i >= n) return;
    float v = x[i];
    float r;
    switch (op) {
        case ACT_RELU: r = v > 0.f ? v : (v != v ? v : 0.f); break;  // as the CPU's Math.max(x, 0f)
        case ACT_LEAKY_RELU: r = v > 0.f ? v : v * alpha; break;
        case ACT_SIGMOID: r = sigmoidf(v); break;
        case ACT_TANH: r = tanhf(v); break;
        case ACT_GELU: r = v * normal_cdf(v); break;
        case ACT_SILU: r = v * sigmoidf(v); break;
        case ACT_HARDSWISH: r = v * clamp6(v + 3.f) / 6.f; break;
        case ACT_HARDSIGMOID: r = clamp6(v + 3.f) / 6.f; break;
        case ACT_RELU6: r = clamp6(v); break;
        case ACT_ERF: r = erff(v); break;
        default: r = QUIET_NAN; break;
    }
    y[i] = r;
}

// dx = dy * f'(x), from x alone (sigmoid and tanh recompute their output), at kinks and NaN as PyTorch
extern "C" __global__ void activation_bwd(int op, const float* x, const float* dy, float* dx, float alpha,
                                         long long n) {
    long long i = IDX;
    if (i >= n) return;
    float v = x[i], g = dy[i];
    float r;
    switch (op) {
        case ACT_RELU: r = v > 0.f ? g : 0.f; break;
        case ACT_LEAKY_RELU: r = v > 0.f ? g : g * alpha; break;
        case ACT_SIGMOID: { float s = sigmoidf(v); r = g * s * (1.f - s); break; }
        case ACT_TANH: { float t = tanhf(v); r = g * (1.f - t * t); break; }
        case ACT_GELU: r = g * (normal_cdf(v) + v * 0.39894228040143268f * expf(-0.5f * v * v)); break;
        case ACT_SILU: { float s = sigmoidf(v); r = g * s * (1.f + v * (1.f - s)); break; }
        case ACT_HARDSWISH: r = v < -3.f ? 0.f : (v <= 3.f ? g * (v / 3.f + 0.5f) : g); break;
        case ACT_HARDSIGMOID: r = v > -3.f && v < 3.f ? g / 6.f : 0.f; break;
        case ACT_RELU6: r = v <= 0.f || v >= 6.f ? 0.f : g; break;
        case ACT_ERF: r = g * 1.1283791670955126f * expf(-v * v); break;
        default: r = QUIET_NAN; break;
    }
    dx[i] = r;
}

// ---- pooling with PyTorch's exact window rules (ceil mode, padding, include/exclude pad) ----
struct Pool {
    int n, c, h, w, p, q;     // input N,C,H,W and output P,Q
    int kh, kw, sh, sw, ph, pw;
    int countIncludePad;
};

__device__ __forceinline__ float avg_divisor(const Pool& s, int hs, int ws) {
    int he = min(hs + s.kh, s.h + s.ph), we = min(ws + s.kw, s.w + s.pw);
    int poolSize = (he - hs) * (we - ws);
    if (s.countIncludePad) return (float) poolSize;
    int h0 = max(hs, 0), w0 = max(ws, 0);
    he = min(he, s.h); we = min(we, s.w);
    return (float) ((he - h0) * (we - w0));
}

extern "C" __global__ void max_pool_fwd(const float* x, float* y, Pool s) {
    long long i = IDX;
    long long total = (long long) s.n * s.c * s.p * s.q;
    if (i >= total) return;
    int oq = i % s.q, op = (i / s.q) % s.p;
    long long plane = i / ((long long) s.p * s.q);
    const float* xp = x + plane * s.h * s.w;
    int hs = op * s.sh - s.ph, ws = oq * s.sw - s.pw;
    int he = min(hs + s.kh, s.h), we = min(ws + s.kw, s.w);
    hs = max(hs, 0); ws = max(ws, 0);
    float best = -INFINITY;
    for (int r = hs; r < he; r++)
        for (int c = ws; c < we; c++) {
            float v = xp[r * s.w + c];
            if (v > best || isnan(v)) best = v;  // PyTorch's rule: NaN propagates
        }
    y[i] = best;
}

extern "C" __global__ void avg_pool_fwd(const float* x, float* y, Pool s) {
    long long i = IDX;
    long long total = (long long) s.n * s.c * s.p * s.q;
    if (i >= total) return;
    int oq = i % s.q, op = (i / s.q) % s.p;
    long long plane = i / ((long long) s.p * s.q);
    const float* xp = x + plane * s.h * s.w;
    int hs = op * s.sh - s.ph, ws = oq * s.sw - s.pw;
    float div = avg_divisor(s, hs, ws);
    int he = min(hs + s.kh, s.h), we = min(ws + s.kw, s.w);
    float sum = 0.f;
    for (int r = max(hs, 0); r < he; r++)
        for (int c = max(ws, 0); c < we; c++) sum += xp[r * s.w + c];
    y[i] = sum / div;
}

// Gather form (one thread per input element, no atomics): dx[h,w] sums dy over the windows whose
// first maximum (recomputed from x, as the forward pass chose it) is at (h,w).
extern "C" __global__ void max_pool_bwd(const float* x, const float* dy, float* dx, Pool s) {
    long long i = IDX;
    long long total = (long long) s.n * s.c * s.h * s.w;
    if (i >= total) return;
    int col = i % s.w, row = (i / s.w) % s.h;
    long long plane = i / ((long long) s.h * s.w);
    const float* xp = x + plane * s.h * s.w;
    const float* dyp = dy + plane * s.p * s.q;
    int p0 = max(0, (row + s.ph - s.kh) / s.sh), p1 = min(s.p - 1, (row + s.ph) / s.sh);
    int q0 = max(0, (col + s.pw - s.kw) / s.sw), q1 = min(s.q - 1, (col + s.pw) / s.sw);
    float g = 0.f;
    for (int op = p0; op <= p1; op++)
        for (int oq = q0; oq <= q1; oq++) {
            int hs = op * s.sh - s.ph, ws = oq * s.sw - s.pw;
            if (row < hs || row >= hs + s.kh || col < ws || col >= ws + s.kw) continue;
            int he = min(hs + s.kh, s.h), we = min(ws + s.kw, s.w);
            int bestIdx = -1;
            float best = -INFINITY;
            for (int r = max(hs, 0); r < he; r++)
                for (int c = max(ws, 0); c < we; c++) {
                    float v = xp[r * s.w + c];
                    if (bestIdx < 0 || v > best || isnan(v)) { best = v; bestIdx = r * s.w + c; }
                }
            if (bestIdx == row * s.w + col) g += dyp[op * s.q + oq];
        }
    dx[i] = g;
}

extern "C" __global__ void avg_pool_bwd(const float* dy, float* dx, Pool s) {
    long long i = IDX;
    long long total = (long long) s.n * s.c * s.h * s.w;
    if (i >= total) return;
    int col = i % s.w, row = (i / s.w) % s.h;
    long long plane = i / ((long long) s.h * s.w);
    const float* dyp = dy + plane * s.p * s.q;
    int p0 = max(0, (row + s.ph - s.kh) / s.sh), p1 = min(s.p - 1, (row + s.ph) / s.sh);
    int q0 = max(0, (col + s.pw - s.kw) / s.sw), q1 = min(s.q - 1, (col + s.pw) / s.sw);
    float g = 0.f;
    for (int op = p0; op <= p1; op++)
        for (int oq = q0; oq <= q1; oq++) {
            int hs = op * s.sh - s.ph, ws = oq * s.sw - s.pw;
            if (row < hs || row >= hs + s.kh || col < ws || col >= ws + s.kw) continue;
            g += dyp[op * s.q + oq] / avg_divisor(s, hs, ws);
        }
    dx[i] = g;
}

// ---- adaptive average pooling: bin i spans [floor(i*H/P), ceil((i+1)*H/P)) ----
__device__ __forceinline__ int bin_start(int i, int in, int out) { return (int) (((long long) i * in) / out); }
__device__ __forceinline__ int bin_end(int i, int in, int out) {
    return (int) (((long long) (i + 1) * in + out - 1) / out);
}

extern "C" __global__ void adaptive_avg_fwd(const float* x, float* y, long long planes, int h, int w, int p, int q) {
    long long i = IDX;
    if (i >= planes * p * q) return;
    int oq = i % q, op = (i / q) % p;
    const float* xp = x + (i / ((long long) p * q)) * h * w;
    int hs = bin_start(op, h, p), he = bin_end(op, h, p), ws = bin_start(oq, w, q), we = bin_end(oq, w, q);
    float sum = 0.f;
    for (int r = hs; r < he; r++)
        for (int c = ws; c < we; c++) sum += xp[r * w + c];
    y[i] = sum / (float) ((he - hs) * (we - ws));
}

extern "C" __global__ void adaptive_avg_bwd(const float* dy, float* dx, long long planes, int h, int w, int p, int q) {
    long long i = IDX;
    if (i >= planes * h * w) return;
    int col = i % w, row = (i / w) % h;
    const float* dyp = dy + (i / ((long long) h * w)) * p * q;
    int p0 = (int) (((long long) row * p) / h), p1 = min(p - 1, (int) (((long long) (row + 1) * p - 1) / h));
    int q0 = (int) (((long long) col * q) / w), q1 = min(q - 1, (int) (((long long) (col + 1) * q - 1) / w));
    float g = 0.f;
    for (int op = p0; op <= p1; op++) {
        int hs = bin_start(op, h, p), he = bin_end(op, h, p);
        if (row < hs || row >= he) continue;
        for (int oq = q0; oq <= q1; oq++) {
            int ws = bin_start(oq, w, q), we = bin_end(oq, w, q);
            if (col < ws || col >= we) continue;
            g += dyp[op * q + oq] / (float) ((he - hs) * (we - ws));
        }
    }
    dx[i] = g;
}

// ---- negative log-likelihood with label smoothing ----
// A label that is not a class index in [0, classes) gives NaN (the CPU backend throws); reading logp at it
// would be an out-of-bounds access, which poisons the whole CUDA context.
__device__ __forceinline__ bool valid_label(float v, int classes) {
    return v >= 0.f && v < (float) classes && v == truncf(v);
}

extern "C" __global__ void nll_fwd(const float* logp, const float* labels, float smoothing, float* losses,
                                   int rows, int classes) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) return;
    const float* row = logp + (long long) r * classes;
    if (!valid_label(labels[r], classes)) { losses[r] = QUIET_NAN; return; }
    int label = (int) labels[r];
    float loss = -(1.f - smoothing) * row[label];
    if (smoothing != 0.f) {
        float sum = 0.f;
        for (int c = 0; c < classes; c++) sum += row[c];
        loss -= smoothing / classes * sum;
    }
    losses[r] = loss;
}

extern "C" __global__ void nll_bwd(const float* labels, float smoothing, const float* dLosses, float* dLogp,
                                   int rows, int classes) {
    long long i = IDX;
    if (i >= (long long) rows * classes) return;
    int r = (int) (i / classes), c = (int) (i % classes);
    if (!valid_label(labels[r], classes)) { dLogp[i] = QUIET_NAN; return; }
    float w = smoothing / classes + (c == (int) labels[r] ? 1.f - smoothing : 0.f);
    dLogp[i] = -dLosses[r] * w;
}

// ---- dropout with org.cnn4j.backend.CounterRng (SplitMix64 finaliser), bit-exact with the JVM ----
__device__ __forceinline__ unsigned long long counter_mix(unsigned long long seed, unsigned long long index) {
    unsigned long long z = seed * 0x9E3779B97F4A7C15ULL + index;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

extern "C" __global__ void dropout_fwd(const float* x, float p, float scale, unsigned long long seed,
                                       float* mask, float* y, long long n) {
    long long i = IDX;
    if (i >= n) return;
    float u = (float) (counter_mix(seed, (unsigned long long) i) >> 40) * 5.9604644775390625e-8f;  // 2^-24
    float m = u >= p ? scale : 0.f;
    mask[i] = m;
    y[i] = x[i] * m;
}

// ---- fused optimizer steps (torch.optim.SGD / Adam / AdamW, single-tensor path) ----
extern "C" __global__ void sgd_step(float* param, const float* grad, float* buf, float lr, float momentum,
                                    float dampening, int nesterov, float weightDecay, int firstStep, long long n) {
    long long i = IDX;
    if (i >= n) return;
    float p = param[i];
    float g = grad[i];
    if (weightDecay != 0.f) g += weightDecay * p;
    if (momentum != 0.f) {
        float b = firstStep ? g : momentum * buf[i] + (1.f - dampening) * g;
        buf[i] = b;
        g = nesterov ? g + momentum * b : b;
    }
    param[i] = p - lr * g;
}

// stepSize = lr / (1 - beta1^t), bc2Sqrt = sqrt(1 - beta2^t), both computed on the host in double.
extern "C" __global__ void adam_step(float* param, const float* grad, float* m, float* v, float lr, float beta1,
                                     float beta2, float eps, float weightDecay, int decoupled, float stepSize,
                                     float bc2Sqrt, long long n) {
    long long i = IDX;
    if (i >= n) return;
    float p = param[i];
    float g = grad[i];
    if (weightDecay != 0.f) {
        if (decoupled) p *= 1.f - lr * weightDecay;
        else g += weightDecay * p;
    }
    float mi = m[i] + (1.f - beta1) * (g - m[i]);
    float vi = beta2 * v[i] + (1.f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    float denom = sqrtf(vi) / bc2Sqrt + eps;
    param[i] = p - stepSize * (mi / denom);
}

// ---- row gather / scatter-add (embedding lookup and its gradient) ----
// Indices are float32 values already checked on the host to be integers in [0, rows).
extern "C" __global__ void gather_rows(const float* table, const float* idx, float* out, long long n, int width) {
    long long i = IDX;
    if (i >= n * width) return;
    long long row = (long long) idx[i / width];
    out[i] = table[row * width + i % width];
}

// One thread per (column, bucket of rows): thread (c, b) adds every source row whose index r has r % buckets == b
// into table[r, c], in increasing source order. Each table element has one owner, so there are no atomics and
// the sums are in the CPU backend's order: the same bits on every run and on both backends.
extern "C" __global__ void scatter_add_rows(const float* idx, const float* src, float* table, long long n, int width,
                                            int skip, int buckets) {
    long long t = IDX;
    if (t >= (long long) width * buckets) return;
    int c = (int) (t % width), b = (int) (t / width);
    for (long long i = 0; i < n; i++) {
        int r = (int) idx[i];
        if (r == skip || r % buckets != b) continue;
        table[(long long) r * width + c] += src[i * width + c];
    }
}
