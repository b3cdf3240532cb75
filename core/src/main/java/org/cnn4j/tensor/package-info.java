/**
 * Tensors: {@link org.cnn4j.tensor.Tensor} (shape, dtype, backend, storage and autograd slot),
 * {@link org.cnn4j.tensor.Shape}, reference-counted {@link org.cnn4j.tensor.Storage}, the thread-local
 * {@link org.cnn4j.tensor.MemoryScope} that frees temporaries deterministically, {@link org.cnn4j.tensor.NoGrad}
 * and {@link org.cnn4j.tensor.Names} for tensor names in messages. A tensor computes nothing itself: its
 * convenience methods call {@code org.cnn4j.ops}.
 */
package org.cnn4j.tensor;
