/**
 * Files in and out: safetensors ({@link org.cnn4j.io.Safetensors}, with a validating header reader) and
 * {@link org.cnn4j.io.AtomicFiles}, the one atomic-write helper. Every file read is treated as hostile: lengths
 * are checked before anything is allocated, names are escaped in messages; every write is atomic.
 */
package org.cnn4j.io;
