package org.cnn4j.backend;

/** One SGD step's hyper-parameters, with PyTorch's {@code torch.optim.SGD} semantics. */
public record SgdParams(float lr, float momentum, float dampening, boolean nesterov, float weightDecay) {
}
