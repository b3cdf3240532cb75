package org.cnn4j.io.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import static org.cnn4j.io.onnx.ExportGraph.floatAttr;
import static org.cnn4j.io.onnx.ExportGraph.intAttr;
import static org.cnn4j.io.onnx.ExportGraph.ints;

/**
 * The ONNX form of the ops the autograd graph records (the op names of {@code org.cnn4j.ops}), with the settings
 * each op keeps in its node's {@link org.cnn4j.autograd.Node#attributes() attributes}: arithmetic with
 * broadcasting or with a scalar, activations, reductions, reshapes, slicing and concatenation here; convolution,
 * pooling and normalization in {@link SpatialOpExport}.
 */
final class AutogradOpExport {
    private AutogradOpExport() {
    }

    /** One recorded op: its name, settings, input names and shapes, output shape, and a name for the nodes. */
    record Op(String name, Map<String, Object> attributes, String hint, List<String> in, List<Shape> inShapes,
              Shape out, Function<Tensor, String> tensorName) {
        Object attr(String key) {
            Object v = attributes.get(key);
            if (v == null) {
                throw new IllegalStateException("op '" + name + "' was recorded without its '" + key + "' setting");
            }
            return v;
        }

        String x() {
            return in.get(0);
        }
    }

    /** The output name, or null when the op has no form here. */
    static String export(ExportGraph g, Op op) {
        String hint = op.hint();
        List<String> in = op.in();
        if (in.size() == 1 && op.attributes().containsKey("scalar")) {
            return scalarOp(g, op, (Float) op.attr("scalar"));
        }
        return switch (op.name()) {
            case "add" -> g.node("Add", hint, in);
            case "sub" -> g.node("Sub", hint, in);
            case "mul" -> g.node("Mul", hint, in);
            case "div" -> g.node("Div", hint, in);
            case "relu" -> g.node("Relu", hint, in);
            case "sigmoid" -> g.node("Sigmoid", hint, in);
            case "tanh" -> g.node("Tanh", hint, in);
            case "neg" -> g.node("Neg", hint, in);
            case "exp" -> g.node("Exp", hint, in);
            case "log" -> g.node("Log", hint, in);
            case "sqrt" -> g.node("Sqrt", hint, in);
            case "abs" -> g.node("Abs", hint, in);
            case "sign" -> g.node("Sign", hint, in);
            case "square" -> g.node("Mul", hint, List.of(op.x(), op.x()));
            case "gelu" -> gelu(g, hint, op.x());
            case "leaky_relu" -> g.node("LeakyRelu", hint, in, floatAttr("alpha", (Float) op.attr("alpha")));
            case "silu" -> g.node("Mul", hint, List.of(op.x(), g.node("Sigmoid", hint + ".sigmoid", in)));
            case "hardsigmoid" -> hardSigmoid(g, hint, op.x());
            case "hardswish" -> g.node("Mul", hint, List.of(op.x(), hardSigmoid(g, hint + ".gate", op.x())));
            case "relu6" -> g.node("Clip", hint, List.of(op.x(), scalar(g, hint + ".min", 0f),
                    scalar(g, hint + ".max", 6f)));
            case "softmax" -> g.node("Softmax", hint, in, intAttr("axis", -1));
            case "log_softmax" -> g.node("LogSoftmax", hint, in, intAttr("axis", -1));
            case "sum" -> reduceSum(g, op);
            case "matmul" -> g.node("MatMul", hint, in);
            case "linear" -> g.node("Gemm", hint, in, intAttr("transB", 1));
            case "reshape" -> reshape(g, hint, op.x(), op.inShapes().get(0), op.out());
            case "concat" -> concat(g, hint, in, op.inShapes(), op.out());
            case "permute" -> g.node("Transpose", hint, in, ints("perm", longs((int[]) op.attr("perm"))));
            case "slice" -> slice(g, op);
            default -> SpatialOpExport.export(g, op);
        };
    }

    /** {@code x op s} for the scalar ops of {@code Arithmetic.scalar}; RSUB and RDIV put the scalar first. */
    private static String scalarOp(ExportGraph g, Op op, float s) {
        String c = scalar(g, op.hint() + ".scalar", s);
        return switch (op.name()) {
            case "add" -> g.node("Add", op.hint(), List.of(op.x(), c));
            case "mul" -> g.node("Mul", op.hint(), List.of(op.x(), c));
            case "pow" -> g.node("Pow", op.hint(), List.of(op.x(), c));
            case "rsub" -> g.node("Sub", op.hint(), List.of(c, op.x()));
            case "rdiv" -> g.node("Div", op.hint(), List.of(c, op.x()));
            default -> null;
        };
    }

    /** Exact GELU, x * 0.5 * (1 + erf(x / sqrt 2)), from opset-11 ops (Gelu itself arrived in opset 20). */
    private static String gelu(ExportGraph g, String hint, String x) {
        String scaled = g.node("Div", hint + ".scaled", List.of(x, scalar(g, hint + ".sqrt2", (float) Math.sqrt(2))));
        String erf = g.node("Erf", hint + ".erf", List.of(scaled));
        String onePlus = g.node("Add", hint + ".one_plus", List.of(erf, scalar(g, hint + ".one", 1f)));
        String half = g.node("Mul", hint + ".half_x", List.of(x, scalar(g, hint + ".half", 0.5f)));
        return g.node("Mul", hint, List.of(half, onePlus));
    }

    /** PyTorch's hardsigmoid, relu6(x + 3) / 6, is ONNX's HardSigmoid with alpha 1/6 and beta 1/2. */
    private static String hardSigmoid(ExportGraph g, String hint, String x) {
        return g.node("HardSigmoid", hint, List.of(x), floatAttr("alpha", 1f / 6), floatAttr("beta", 0.5f));
    }

    static String scalar(ExportGraph g, String hint, float value) {
        return g.constant(hint, Shape.scalar(), new float[] {value});
    }

    /** ReduceSum: axes as an attribute before opset 13, as an input from 13 on. */
    private static String reduceSum(ExportGraph g, Op op) {
        long[] axes = longs((int[]) op.attr("axes"));
        byte[] keep = intAttr("keepdims", (Boolean) op.attr("keepdim") ? 1 : 0);
        if (g.opset() < 13) {
            return g.node("ReduceSum", op.hint(), op.in(), ints("axes", axes), keep);
        }
        return g.node("ReduceSum", op.hint(), List.of(op.x(), g.int64Constant(op.hint() + ".axes", axes)), keep);
    }

    private static String slice(ExportGraph g, Op op) {
        String h = op.hint();
        List<String> in = new ArrayList<>(List.of(op.x(),
                g.int64Constant(h + ".starts", (Integer) op.attr("start")),
                g.int64Constant(h + ".ends", (Integer) op.attr("end")),
                g.int64Constant(h + ".axes", (Integer) op.attr("axis")),
                g.int64Constant(h + ".steps", (Integer) op.attr("step"))));
        return g.node("Slice", h, in);
    }

    static long[] longs(int... values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Keeps the batch axis symbolic: Flatten for [N, rest], otherwise Reshape copying axis 0 from the input. */
    static String reshape(ExportGraph g, String hint, String x, Shape in, Shape out) {
        if (in.equals(out)) {
            return x; // a view (e.g. Dropout in eval mode)
        }
        boolean keepsBatch = in.rank() > 0 && out.rank() > 0 && in.dim(0) == out.dim(0);
        if (keepsBatch && out.rank() == 2) {
            return g.node("Flatten", hint, List.of(x), intAttr("axis", 1));
        }
        long[] dims = longs(out.dims());
        if (keepsBatch) {
            dims[0] = 0; // ONNX Reshape: 0 copies the input's dimension
        }
        return g.node("Reshape", hint, List.of(x, g.int64Constant(hint + ".shape", dims)));
    }

    private static String concat(ExportGraph g, String hint, List<String> in, List<Shape> shapes, Shape out) {
        if (in.size() == 1) {
            return in.get(0);
        }
        for (int axis = 0; axis < out.rank(); axis++) {
            if (out.dim(axis) != shapes.get(0).dim(axis)) {
                return g.node("Concat", hint, in, intAttr("axis", axis));
            }
        }
        throw new IllegalStateException("concat of " + shapes + " into " + out + ": no axis grows");
    }
}
