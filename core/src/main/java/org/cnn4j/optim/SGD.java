package org.cnn4j.optim;

import java.util.List;
import java.util.Map;

import org.cnn4j.backend.SgdParams;
import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.optim.SGD} with momentum, dampening, L2 weight decay and Nesterov momentum, using the backend's
 * fused {@code sgdUpdate} kernel. State: {@code momentum_buffer} per parameter (when momentum is non-zero).
 */
public class SGD extends Optimizer {
    /** SGD's hyper-parameters (PyTorch's defaults: momentum 0, dampening 0, weight decay 0, no Nesterov). */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        public Options {
            if (!(lr >= 0) || !(momentum >= 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("SGD: lr, momentum and weight decay must be >= 0, got lr=" + lr
                        + " momentum=" + momentum + " weight_decay=" + weightDecay);
            }
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and zero dampening,"
                        + " got momentum=" + momentum + " dampening=" + dampening);
            }
        }

        public static Options of(double lr) {
            return new Options(lr, 0, 0, 0, false);
        }
    }

    private final Options options;

    public SGD(List<Tensor> params, double lr) {
        this(params, Options.of(lr));
    }

    public SGD(List<Tensor> params, double lr, double momentum) {
        this(params, new Options(lr, momentum, 0, 0, false));
    }

    public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        this(params, new Options(lr, momentum, dampening, weightDecay, nesterov));
    }

    public SGD(List<Tensor> params, Options options) {
        this(options, List.of(ParamGroup.of(params)));
    }

    /** Several parameter groups; a group's own lr or weight decay overrides the options. */
    public SGD(Options options, List<ParamGroup> groups) {
        super(groups, options.lr(), options.weightDecay());
        this.options = options;
    }

    @Override
    protected void update(Tensor param, Tensor grad, Map<String, Tensor> state, long step, ParamGroup g) {
        Tensor buf = null;
        boolean first = false;
        if (options.momentum() != 0) {
            first = !state.containsKey("momentum_buffer");
            buf = stateTensor(state, "momentum_buffer", param);
        }
        SgdParams p = new SgdParams((float) g.lr(), (float) options.momentum(), (float) options.dampening(),
                options.nesterov(), (float) g.weightDecay());
        param.backend().sgdUpdate(param, grad, buf, p, first);
    }

    public Options options() {
        return options;
    }

    @Override
    public String name() {
        return "SGD";
    }
}
