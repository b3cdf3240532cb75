/**
 * Layers and models: {@link org.cnn4j.nn.Module} with named parameters, buffers and children whose
 * qualified names are PyTorch's {@code state_dict()} keys, strict and non-strict loading
 * ({@link org.cnn4j.nn.LoadReport}), and the layers themselves, whose {@code forward} only calls
 * {@code org.cnn4j.ops}. Initialisation follows PyTorch ({@link org.cnn4j.nn.Init}).
 */
package org.cnn4j.nn;
