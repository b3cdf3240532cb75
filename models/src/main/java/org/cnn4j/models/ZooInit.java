package org.cnn4j.models;

import java.util.function.Consumer;

import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;

/** The initialisation most torchvision families share (batch norms already start at weight 1, bias 0). */
final class ZooInit {
    private ZooInit() {
    }

    /**
     * {@code kaiming_normal_(mode="fan_out")} (gain sqrt 2, fan_out = out channels x kernel area, not divided by
     * groups) on every conv weight and zero conv biases; {@code linear} initialises each Linear.
     */
    static void kaimingFanOutConvs(Module model, Consumer<Linear> linear) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU);
                if (c.bias() != null) {
                    Init.zeros(c.bias());
                }
            } else if (m instanceof Linear l) {
                linear.accept(l);
            }
        }
    }

    /** Linear weights N(0, std^2), zero biases. */
    static Consumer<Linear> normalLinear(double std) {
        return l -> {
            Init.normal(l.weight(), 0, std);
            Init.zeros(l.bias());
        };
    }
}
