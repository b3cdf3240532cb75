package org.cnn4j.io.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.io.AtomicFiles;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * ONNX export: {@code Onnx.export(model, Shape.of(1, 3, 224, 224), Path.of("m.onnx"))} writes the eval-mode
 * graph of {@code model} for inputs of that shape, with the batch axis symbolic, parameters under their
 * state-dict names, input {@code input} and output {@code output}. The graph is found by tracing one forward
 * pass (see {@link GraphTracer}); layers with settings are exported by their {@link LayerExporters} entry.
 */
public final class Onnx {
    public static final int DEFAULT_OPSET = 17;
    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 18;
    static final String INPUT = "input";
    static final String OUTPUT = "output";

    private Onnx() {
    }

    public static void export(Module module, Shape exampleShape, Path path) throws IOException {
        export(module, exampleShape, path, DEFAULT_OPSET);
    }

    /**
     * Traces {@code module} in eval mode (its training flag is restored afterwards) on an input of
     * {@code exampleShape} (batch first) and writes the model atomically to {@code path}.
     */
    public static void export(Module module, Shape exampleShape, Path path, int opset) throws IOException {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException("ONNX export: opset " + opset + " is not supported; expected "
                    + MIN_OPSET + " to " + MAX_OPSET);
        }
        if (exampleShape.rank() < 1) {
            throw new IllegalArgumentException("ONNX export: the example shape needs a batch axis, got "
                    + exampleShape);
        }
        if (!NoGrad.isGradEnabled()) {
            throw new IllegalStateException("ONNX export traces the autograd graph: call it outside a NoGrad block");
        }
        ExportGraph graph = new ExportGraph(opset);
        graph.fresh(INPUT);
        graph.fresh(OUTPUT);
        Shape outShape;
        boolean wasTraining = module.isTraining();
        module.eval();
        try (MemoryScope scope = MemoryScope.open()) {
            Backend backend = module.parameters().isEmpty() ? Backends.current()
                    : module.parameters().get(0).backend();
            Tensor x = Tensor.zeros(backend, exampleShape).requiresGrad(true);
            List<GraphTracer.Call> calls = new ArrayList<>();
            Tensor y;
            try (AutoCloseable hook = Module.addGlobalForwardHook((m, in, out) ->
                    calls.add(new GraphTracer.Call(m, in, out)))) {
                y = module.call(x);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e); // removing a hook does not fail
            }
            outShape = y.shape();
            GraphTracer tracer = new GraphTracer(graph, module, x, INPUT, calls);
            String result = tracer.emit(y);
            if (result.equals(INPUT)) {
                throw new IllegalArgumentException("ONNX export: " + module.typeName() + " returns its input"
                        + " unchanged; there is no graph to export");
            }
            if (!tracer.usesInput()) {
                throw new IllegalArgumentException("ONNX export: the output of " + module.typeName() + " is not"
                        + " computed from its input by tensor ops (forward reads the input on the host, e.g. token"
                        + " ids), so a traced graph would ignore its input");
            }
            graph.nodeTo(OUTPUT, "Identity", List.of(result));
            y.close();
        } finally {
            module.train(wasTraining);
        }
        String name = module.typeName();
        AtomicFiles.writeStream(path, out -> graph.writeModel(out, name, opset, INPUT, exampleShape, OUTPUT,
                outShape));
    }
}
