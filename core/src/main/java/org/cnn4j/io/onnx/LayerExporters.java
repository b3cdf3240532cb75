package org.cnn4j.io.onnx;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.AvgPool2d;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.ChannelLinear;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Embedding;
import org.cnn4j.nn.LeakyReLU;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;

import static org.cnn4j.io.onnx.ExportGraph.floatAttr;
import static org.cnn4j.io.onnx.ExportGraph.intAttr;
import static org.cnn4j.io.onnx.ExportGraph.ints;

/**
 * The layers with settings or parameters the exporter knows, one entry each. Parameter-free layers (ReLU,
 * Sigmoid, Tanh, GELU, Flatten, Identity, Dropout in eval mode) need no entry: their ops are traced directly.
 */
public final class LayerExporters {
    private static final Map<Class<?>, LayerExporter<?>> EXPORTERS = new ConcurrentHashMap<>();

    static {
        register(Conv2d.class, LayerExporters::conv);
        register(BatchNorm2d.class, (g, m, path, in, inShape, outShape) -> g.node("BatchNormalization", path,
                List.of(in, g.parameter(path + ".weight", m.parameter("weight")),
                        g.parameter(path + ".bias", m.parameter("bias")),
                        g.parameter(path + ".running_mean", m.buffer("running_mean")),
                        g.parameter(path + ".running_var", m.buffer("running_var"))),
                floatAttr("epsilon", m.eps())));
        register(Linear.class, LayerExporters::linear);
        register(ChannelLinear.class, (g, m, path, in, inShape, outShape) -> {
            String w = g.parameter(path + ".weight", m.weight());
            String kernel = g.node("Reshape", path + ".kernel", List.of(w,
                    g.int64Constant(path + ".kernel_shape", m.outFeatures(), m.inFeatures(), 1, 1)));
            return SpatialOpExport.conv(g, path, List.of(in, kernel, g.parameter(path + ".bias", m.bias())),
                    Shape.of(m.outFeatures(), m.inFeatures(), 1, 1), ConvSpec.of(1, 0));
        });
        register(MaxPool2d.class, (g, m, path, in, inShape, outShape) ->
                SpatialOpExport.pool(g, "MaxPool", m.spec(), path, in));
        register(AvgPool2d.class, (g, m, path, in, inShape, outShape) ->
                SpatialOpExport.pool(g, "AveragePool", m.spec(), path, in));
        register(AdaptiveAvgPool2d.class, (g, m, path, in, inShape, outShape) ->
                AdaptivePoolExport.export(g, path, in, inShape, outShape));
        // token ids travel as floats in cnn4j and as integers in ONNX's Gather
        register(Embedding.class, (g, m, path, in, inShape, outShape) -> g.node("Gather", path,
                List.of(g.parameter(path + ".weight", m.weight()),
                        g.node("Cast", path + ".ids", List.of(in), intAttr("to", OnnxProtos.DTYPE_INT64))),
                intAttr("axis", 0)));
        register(LeakyReLU.class, (g, m, path, in, inShape, outShape) ->
                g.node("LeakyRelu", path, List.of(in), floatAttr("alpha", m.negativeSlope())));
    }

    private LayerExporters() {
    }

    /** Registers (or replaces) the exporter of layer class {@code type}; it also serves subclasses. */
    public static <M extends Module> void register(Class<M> type, LayerExporter<? super M> exporter) {
        EXPORTERS.put(type, exporter);
    }

    /** The exporter for {@code module}'s class or its nearest registered superclass; null if none. */
    @SuppressWarnings("unchecked")
    static LayerExporter<Module> find(Module module) {
        for (Class<?> c = module.getClass(); c != null && c != Module.class; c = c.getSuperclass()) {
            LayerExporter<?> e = EXPORTERS.get(c);
            if (e != null) {
                return (LayerExporter<Module>) e;
            }
        }
        return null;
    }

    /**
     * Exports {@code child} (a layer with an entry here) on {@code input}: for exporters of composite layers, which
     * call their children's exporters. Shapes are not passed (null), so only shape-independent layers qualify.
     */
    public static String exportChild(ExportGraph g, Module child, String path, String input) {
        LayerExporter<Module> e = find(child);
        if (e == null) {
            throw new IllegalArgumentException("ONNX export: module '" + path + "' (" + child.typeName()
                    + ") has no LayerExporter");
        }
        return e.export(g, child, path, input, null, null);
    }

    private static String conv(ExportGraph g, Conv2d m, String path, String in, Shape inShape, Shape outShape) {
        String w = g.parameter(path + ".weight", m.weight());
        List<String> inputs = m.bias() == null ? List.of(in, w)
                : List.of(in, w, g.parameter(path + ".bias", m.bias()));
        return SpatialOpExport.conv(g, path, inputs, m.weight().shape(), m.spec());
    }

    private static String linear(ExportGraph g, Linear m, String path, String in, Shape inShape, Shape outShape) {
        String w = g.parameter(path + ".weight", m.weight());
        String b = m.bias() == null ? null : g.parameter(path + ".bias", m.bias());
        if (inShape == null || inShape.rank() == 2) {
            return g.node("Gemm", path, b == null ? List.of(in, w) : List.of(in, w, b), intAttr("transB", 1));
        }
        String wt = g.node("Transpose", path + ".weight_t", List.of(w), ints("perm", 1, 0));
        String y = g.node("MatMul", b == null ? path : path + ".matmul", List.of(in, wt));
        return b == null ? y : g.node("Add", path, List.of(y, b));
    }
}
