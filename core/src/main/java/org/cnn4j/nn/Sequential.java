package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.List;

import org.cnn4j.tensor.Tensor;

/**
 * {@code torch.nn.Sequential}: applies its children in order; they are named "0", "1", ... (or given names) so
 * state-dict keys read {@code features.0.weight} as in torchvision. When no graph is recorded (inference, or all layers frozen)
 * each intermediate output is freed as soon as the next layer has consumed it.
 */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a layer under the next index; returns this. */
    public Sequential add(Module m) {
        return add(Integer.toString(layers.size()), m);
    }

    /**
     * Appends a layer under {@code name}, as {@code nn.Sequential(OrderedDict(...))} or {@code add_module} do
     * (torchvision's DenseNet {@code features.denseblock1}, RegNet {@code trunk_output.block1}); returns this.
     */
    public Sequential add(String name, Module m) {
        registerModule(name, m);
        layers.add(m);
        return this;
    }

    public Module get(int index) {
        if (index < 0 || index >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential.get(" + index + "): has " + layers.size() + " layers");
        }
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Module m : layers) {
            Tensor next = m.call(h);
            // no graph node can reference h when the next output needs no gradient
            if (h != x && next != h && !next.requiresGrad()) {
                h.close();
            }
            h = next;
        }
        return h;
    }
}
