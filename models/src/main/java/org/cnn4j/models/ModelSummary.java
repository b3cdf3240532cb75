package org.cnn4j.models;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Per-layer output shapes, parameter counts and multiply-accumulates of a model, from a real forward pass (eval
 * mode, no grad) observed through the global forward hook. Only conv and linear layers count MACs (as
 * torchvision's GFLOPS column): conv {@code outputElements * (inChannels/groups) * kH * kW}, linear
 * {@code outputElements * inFeatures}. {@link #of(String, ModelOptions, Shape)} runs on a
 * {@link ShapeOnlyBackend}, so it is instant and allocates nothing, even for VGG-19.
 */
public record ModelSummary(String model, Shape input, List<Layer> layers, long params, long macs) {

    /** One leaf module's call: its qualified name, type, output shape, own parameters and MACs. */
    public record Layer(String name, String type, Shape output, long params, long macs) {
    }

    /** Summarises registry model {@code name} for an input of shape {@code input} (with the batch axis). */
    public static ModelSummary of(String name, ModelOptions options, Shape input) {
        Backend shapes = new ShapeOnlyBackend();
        try (Backends.Use use = Backends.use(shapes); Module model = ModelRegistry.create(name, options)) {
            return of(name, model, input);
        }
    }

    /** Summarises {@code model} by running it on a batch of shape {@code input} on its parameters' backend. */
    public static ModelSummary of(String name, Module model, Shape input) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("summary: expected an input shape [N, C, H, W], got " + input);
        }
        Map<Module, String> names = new IdentityHashMap<>();
        model.namedModules().forEach((n, m) -> names.put(m, n));
        Backend backend = model.parameters().isEmpty() ? Backends.current() : model.parameters().get(0).backend();
        List<Layer> layers = new ArrayList<>();
        boolean wasTraining = model.isTraining();
        model.eval();
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter();
             AutoCloseable hook = Module.addGlobalForwardHook((m, in, out) -> {
                 // leaves, and containers with parameters of their own (ConvNeXt's layer_scale)
                 if (m.namedChildren().isEmpty() || ownParams(m) > 0) {
                     layers.add(new Layer(names.getOrDefault(m, "?"), m.typeName(), out.shape(), ownParams(m),
                             macs(m, out)));
                 }
             })) {
            model.call(Tensor.zeros(backend, input));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("summary: " + e.getMessage(), e);
        } finally {
            model.train(wasTraining);
        }
        long total = 0;
        for (Layer l : layers) {
            total += l.macs();
        }
        return new ModelSummary(name, input, List.copyOf(layers), model.parameterCount(), total);
    }

    /** The parameters registered on {@code m} itself (unqualified names), not on its children. */
    private static long ownParams(Module m) {
        long n = 0;
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) {
            if (e.getKey().indexOf('.') < 0) {
                n += e.getValue().numel();
            }
        }
        return n;
    }

    /** Multiply-accumulates of one call of a conv or linear layer (0 for every other layer). */
    static long macs(Module m, Tensor output) {
        if (m instanceof Conv2d c) {
            return output.numel() * (c.weight().numel() / c.outChannels());
        }
        if (m instanceof Conv1d c) {
            return output.numel() * (c.weight().numel() / c.outChannels());
        }
        if (m instanceof Linear l) {
            return output.numel() * l.inFeatures();
        }
        return 0;
    }
}
