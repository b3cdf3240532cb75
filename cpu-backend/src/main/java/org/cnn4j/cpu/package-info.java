/**
 * The pure-Java backend: plain reference loops ({@code CpuConvReference}, {@code CpuPoolReference}) kept as the
 * oracle, and the fast paths checked against them (packed GEMM on the JDK Vector API, Winograd F(4x4,3x3),
 * im2col), multithreaded with results independent of the thread count. No JNI, no native code.
 */
package org.cnn4j.cpu;
