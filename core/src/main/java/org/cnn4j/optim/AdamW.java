package org.cnn4j.optim;

import java.util.List;

import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.optim.AdamW}: Adam with decoupled weight decay ({@code p *= 1 - lr * wd} before the Adam step);
 * PyTorch's default weight decay is 0.01.
 */
public class AdamW extends Adam {
    public AdamW(List<Tensor> params, double lr) {
        this(params, new Options(lr, 0.9, 0.999, 1e-8, 0.01));
    }

    public AdamW(List<Tensor> params, double lr, double weightDecay) {
        this(params, new Options(lr, 0.9, 0.999, 1e-8, weightDecay));
    }

    public AdamW(List<Tensor> params, Options options) {
        this(options, List.of(ParamGroup.of(params)));
    }

    public AdamW(Options options, List<ParamGroup> groups) {
        super(options, groups, true);
    }

    @Override
    public String name() {
        return "AdamW";
    }
}
