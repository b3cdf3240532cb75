package org.cnn4j.nn;

import java.util.List;

import org.cnn4j.tensor.Tensor;

/**
 * A model with auxiliary classifier heads that take part in training (GoogLeNet, Inception v3), like
 * torchvision's models that return {@code (logits, aux_logits...)} in training mode. {@link Module#call} returns
 * the main logits only (and skips the auxiliary heads); a training loop that wants the auxiliary losses calls
 * {@link #forwardWithAux} and adds {@link #auxLossWeight()} times each auxiliary loss.
 */
public interface AuxiliaryOutputs {

    /**
     * The main logits first, then the auxiliary logits in torchvision's order when the model is in training mode
     * and has auxiliary heads (otherwise just the main logits).
     */
    List<Tensor> forwardWithAux(Tensor x);

    /** The weight of each auxiliary loss in the usual recipe: 0.3 for GoogLeNet, 0.4 for Inception v3. */
    double auxLossWeight();
}
