package org.cnn4j.train;

import java.util.function.UnaryOperator;

import org.cnn4j.nn.AuxiliaryOutputs;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * The loss a training step minimises: the criterion of the model's logits, plus, for a model in training mode with
 * {@linkplain AuxiliaryOutputs auxiliary heads}, each auxiliary output's criterion times its weight (GoogLeNet:
 * {@code main + 0.3 * (aux1 + aux2)}, Inception v3: {@code main + 0.4 * aux}). Metrics and evaluation use the main
 * logits only.
 */
public final class TrainingLoss {
    private TrainingLoss() {
    }

    /** The main logits (what metrics and predictions read) and the total loss (what backward starts from). */
    public record Result(Tensor logits, Tensor loss) {
    }

    /** Runs {@code model} on {@code x} and applies {@code criterion} (logits to a scalar loss) to every output. */
    public static Result of(Module model, Tensor x, UnaryOperator<Tensor> criterion) {
        if (!(model instanceof AuxiliaryOutputs withAux) || !model.isTraining()) {
            Tensor logits = model.call(x);
            return new Result(logits, criterion.apply(logits));
        }
        AuxiliaryOutputs.Outputs out = withAux.forwardWithAux(x);
        Tensor loss = criterion.apply(out.main());
        for (AuxiliaryOutputs.Auxiliary aux : out.auxiliary()) {
            loss = loss.add(criterion.apply(aux.logits()).mul((float) aux.lossWeight()));
        }
        return new Result(out.main(), loss);
    }
}
