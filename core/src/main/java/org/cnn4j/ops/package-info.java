/**
 * The differentiable functions, with PyTorch's semantics: every argument is checked here, once, with a message
 * naming the op; the forward calls the backend and records one gradient closure with
 * {@link org.cnn4j.autograd.Autograd}. Layers in {@code org.cnn4j.nn} are thin wrappers over these.
 */
package org.cnn4j.ops;
