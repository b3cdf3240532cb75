package org.cnn4j.explain;

import java.util.Map;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * Keeps the output of one named layer from a forward pass ({@link Module#registerForwardHook}), with its gradient
 * after backward ({@link Tensor#retainGrad()}). A layer called more than once per forward keeps its last call's
 * output. Close it to remove the hook.
 */
public final class LayerCapture implements AutoCloseable {
    private final String name;
    private final Module.HookHandle handle;
    private Tensor output;

    public LayerCapture(Module model, String layerName) {
        Module layer = find(model, layerName);
        this.name = layerName;
        // without a graph, a Sequential frees each output once the next layer has run: keep a view of its storage
        this.handle = layer.registerForwardHook((m, in, out) -> {
            output = out.requiresGrad() && out.gradFn() != null ? out.retainGrad() : out.view(out.shape());
        });
    }

    /** The submodule under its qualified name ({@code layer4}, {@code features.19}); unknown names list some. */
    public static Module find(Module model, String layerName) {
        Map<String, Module> modules = model.namedModules();
        Module layer = modules.get(layerName);
        if (layer == null || layerName.isEmpty()) {
            throw new IllegalArgumentException("no layer '" + layerName + "' in " + model.typeName() + "; layers are"
                    + " named as in its state dict, e.g. " + String.join(", ", modules.keySet().stream()
                            .filter(k -> !k.isEmpty()).limit(12).toList()) + (modules.size() > 13 ? ", ..." : ""));
        }
        return layer;
    }

    /** The layer's output from the last forward pass. */
    public Tensor output() {
        if (output == null) {
            throw new IllegalStateException("layer '" + name + "' was not called by the forward pass");
        }
        return output;
    }

    /** The gradient of the backpropagated score with respect to the layer's output. */
    public Tensor gradient() {
        Tensor g = output().grad();
        if (g == null) {
            throw new IllegalStateException("no gradient reached layer '" + name + "': the class score does not depend"
                    + " on it through differentiable operations");
        }
        return g;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        handle.close();
    }
}
