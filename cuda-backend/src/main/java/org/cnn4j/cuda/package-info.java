/**
 * The NVIDIA backend over JCuda, JCublas and JCudnn: one primary context and stream per backend, cuDNN for
 * convolution, pooling, normalisation and activations, cuBLAS for GEMM, custom PTX kernels for the rest, and a
 * caching allocator. Availability is probed without letting a failed native load poison the JVM; see
 * docs/gpu.md.
 */
package org.cnn4j.cuda;
