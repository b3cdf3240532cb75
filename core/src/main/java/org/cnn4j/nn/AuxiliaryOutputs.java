package org.cnn4j.nn;

import java.util.List;

import org.cnn4j.tensor.Tensor;

/**
 * A model with auxiliary classifier heads that take part in training (GoogLeNet, Inception v3), like
 * torchvision's models that return {@code (logits, aux_logits...)} in training mode. {@link Module#call} returns
 * the main logits only (and skips the auxiliary heads); the training loop calls {@link #forwardWithAux} and
 * minimises the main loss plus each auxiliary loss times its weight ({@code org.cnn4j.train.TrainingLoss}).
 */
public interface AuxiliaryOutputs {

    /** One auxiliary classifier's logits and the weight of its loss in the training loss. */
    record Auxiliary(Tensor logits, double lossWeight) {
    }

    /** The main logits, and the auxiliary ones (none outside training mode or without auxiliary heads). */
    record Outputs(Tensor main, List<Auxiliary> auxiliary) {
        public Outputs {
            auxiliary = List.copyOf(auxiliary);
        }
    }

    /**
     * The main logits and, when the model is in training mode and has auxiliary heads, their logits in
     * torchvision's order with the usual recipe's loss weights (0.3 each for GoogLeNet, 0.4 for Inception v3).
     */
    Outputs forwardWithAux(Tensor x);
}
