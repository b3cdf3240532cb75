package org.cnn4j.optim;

import java.util.List;
import java.util.Map;

import org.cnn4j.backend.AdamParams;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.optim.Adam} (L2 weight decay added to the gradient) with bias correction, using the backend's
 * fused {@code adamUpdate} kernel. State per parameter: {@code exp_avg}, {@code exp_avg_sq} and the step count.
 */
public class Adam extends Optimizer {
    /** Adam's hyper-parameters; PyTorch's defaults are betas (0.9, 0.999) and eps 1e-8. */
    public record Options(double lr, double beta1, double beta2, double eps, double weightDecay) {
        public Options {
            if (!(lr >= 0) || !(eps >= 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("Adam: lr, eps and weight decay must be >= 0, got lr=" + lr
                        + " eps=" + eps + " weight_decay=" + weightDecay);
            }
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("Adam: betas must be in [0, 1), got (" + beta1 + ", " + beta2
                        + ")");
            }
        }
    }

    private final Options options;
    private final boolean decoupled;

    public Adam(List<Tensor> params, double lr) {
        this(params, new Options(lr, 0.9, 0.999, 1e-8, 0));
    }

    public Adam(List<Tensor> params, Options options) {
        this(options, List.of(ParamGroup.of(params)));
    }

    /** Several parameter groups; a group's own lr or weight decay overrides the options. */
    public Adam(Options options, List<ParamGroup> groups) {
        this(options, groups, false);
    }

    protected Adam(Options options, List<ParamGroup> groups, boolean decoupledWeightDecay) {
        super(groups, options.lr(), options.weightDecay());
        this.options = options;
        this.decoupled = decoupledWeightDecay;
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, long step, ParamGroup g) {
        Tensor expAvg = stateTensor(state, "exp_avg", param);
        Tensor expAvgSq = stateTensor(state, "exp_avg_sq", param);
        AdamParams p = new AdamParams((float) g.lr(), (float) options.beta1(), (float) options.beta2(),
                (float) options.eps(), (float) g.weightDecay(), decoupled, step);
        param.backend().adamUpdate(param, grad, expAvg, expAvgSq, p);
    }

    public Options options() {
        return options;
    }

    @Override
    public String name() {
        return "Adam";
    }
}
