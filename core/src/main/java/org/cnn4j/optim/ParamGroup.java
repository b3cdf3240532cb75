package org.cnn4j.optim;

import java.util.List;

import org.cnn4j.tensor.Tensor;

/**
 * A set of parameters sharing a learning rate and weight decay, like an entry of PyTorch's
 * {@code param_groups}. A null {@code lr} or {@code weightDecay} takes the optimizer's default.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private Double lr;
    private Double weightDecay;

    public ParamGroup(List<Tensor> params, Double lr, Double weightDecay) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("ParamGroup: expected at least one parameter");
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    /** A group that uses the optimizer's defaults. */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params, null, null);
    }

    public List<Tensor> params() {
        return params;
    }

    public double lr() {
        return lr;
    }

    public void setLr(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        }
        this.lr = lr;
    }

    public double weightDecay() {
        return weightDecay;
    }

    void applyDefaults(double defaultLr, double defaultWeightDecay) {
        setLr(lr == null ? defaultLr : lr);
        weightDecay = weightDecay == null ? defaultWeightDecay : weightDecay;
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
    }
}
