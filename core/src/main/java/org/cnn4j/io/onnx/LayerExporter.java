package org.cnn4j.io.onnx;

import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;

/**
 * Writes one layer's eval-mode computation as ONNX nodes. Registered per layer class in {@link LayerExporters};
 * a new layer with parameters or settings (kernel, stride, eps) needs one entry there. Layers whose forward is
 * made only of parameter-free ops (add, relu, reshape, concat, ...) need none: the tracer exports those ops.
 */
@FunctionalInterface
public interface LayerExporter<M extends Module> {
    /**
     * Adds the nodes computing {@code module} on the value named {@code input} and returns the output's name.
     * {@code path} is the module's qualified name ({@code layer1.0.conv1}); parameters are added with
     * {@link ExportGraph#parameter} under {@code path + "." + name}.
     */
    String export(ExportGraph graph, M module, String path, String input, Shape inShape, Shape outShape);
}
