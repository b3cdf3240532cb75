package org.cnn4j.io.onnx;

import java.util.List;

import org.cnn4j.tensor.Shape;

import static org.cnn4j.io.onnx.ExportGraph.intAttr;

/**
 * The ONNX form of the parameter-free ops the autograd graph records (the op names of {@code org.cnn4j.ops}):
 * arithmetic with broadcasting, activations, reshapes and concatenation. Ops whose settings are not visible in the
 * graph (convolution, pooling, batch norm, scalar arithmetic) are exported through their layer instead.
 */
final class AutogradOpExport {
    private AutogradOpExport() {
    }

    /** The output name, or null when {@code op} has no form here. */
    static String export(ExportGraph g, String op, String hint, List<String> in, List<Shape> inShapes, Shape out) {
        if (in.size() == 1 && (op.equals("add") || op.equals("sub") || op.equals("mul") || op.equals("div"))) {
            return null; // arithmetic with a Java float: the scalar is not recorded in the graph
        }
        return switch (op) {
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
            case "square" -> g.node("Mul", hint, List.of(in.get(0), in.get(0)));
            case "gelu" -> gelu(g, hint, in.get(0));
            case "softmax" -> g.node("Softmax", hint, in, intAttr("axis", -1));
            case "log_softmax" -> g.node("LogSoftmax", hint, in, intAttr("axis", -1));
            case "reshape" -> reshape(g, hint, in.get(0), inShapes.get(0), out);
            case "concat" -> concat(g, hint, in, inShapes, out);
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

    private static String scalar(ExportGraph g, String hint, float value) {
        return g.constant(hint, Shape.scalar(), new float[] {value});
    }

    /** Keeps the batch axis symbolic: Flatten for [N, rest], otherwise Reshape copying axis 0 from the input. */
    private static String reshape(ExportGraph g, String hint, String x, Shape in, Shape out) {
        if (in.equals(out)) {
            return x; // a view (e.g. Dropout in eval mode)
        }
        boolean keepsBatch = in.rank() > 0 && out.rank() > 0 && in.dim(0) == out.dim(0);
        if (keepsBatch && out.rank() == 2) {
            return g.node("Flatten", hint, List.of(x), intAttr("axis", 1));
        }
        long[] dims = new long[out.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = out.dim(i);
        }
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
