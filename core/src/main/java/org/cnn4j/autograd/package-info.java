/**
 * Reverse-mode automatic differentiation: {@link org.cnn4j.autograd.Autograd#record} attaches a gradient closure
 * to an op's output, and {@code backward} replays the graph in reverse topological order, accumulating into the
 * leaves' gradients and freeing intermediates as it goes. It knows no op by name.
 */
package org.cnn4j.autograd;
