/**
 * The backend boundary: the {@link org.cnn4j.backend.Backend} interface (one method per cuDNN/cuBLAS call or CPU
 * loop nest, tensors in and out, arguments already checked), its parameter records and op enums, and discovery
 * through {@link org.cnn4j.backend.BackendProvider} and {@link org.cnn4j.backend.Backends}. Backends live in
 * their own modules; core never imports one.
 */
package org.cnn4j.backend;
