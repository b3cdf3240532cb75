/**
 * The backend boundary: the {@link org.cnn4j.backend.Backend} interface (one method per cuDNN/cuBLAS call or CPU
 * loop nest, tensors in and out, arguments already checked), its parameter records and op enums, and discovery
 * through {@link org.cnn4j.backend.BackendProvider} and {@link org.cnn4j.backend.Backends}. The computing
 * backends live in their own modules, which core never imports; {@link org.cnn4j.backend.ShapeOnlyBackend}
 * (shapes without data) lives here, beside the SPI, because it needs nothing else.
 */
package org.cnn4j.backend;
