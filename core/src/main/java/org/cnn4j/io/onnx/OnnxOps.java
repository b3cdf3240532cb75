package org.cnn4j.io.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.cnn4j.backend.Backend;
import org.cnn4j.ops.Activations;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.ops.MatMul;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * The ONNX operators import runs, each on cnn4j's ops (so gradients flow and either backend runs them). Values are
 * float {@link Tensor}s or host-side {@link Ints}; a node with several outputs (Split) returns an array of them.
 * Convolution, pooling, normalization and padding are in {@link OnnxSpatialOps}.
 */
final class OnnxOps {
    static final Set<String> SUPPORTED = Set.of("Conv", "BatchNormalization", "Relu", "LeakyRelu", "Clip",
            "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Softmax", "LogSoftmax", "Add", "Sub", "Mul", "Div",
            "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul", "Flatten", "Reshape",
            "Concat", "Pad", "Squeeze", "Unsqueeze", "ReduceMean", "Dropout", "Identity", "Constant", "Shape",
            "Gather", "Cast", "Sqrt", "Exp", "Log", "Neg", "Abs", "ConstantOfShape", "Transpose", "Slice", "Split",
            "ReduceSum", "Pow", "Erf", "LayerNormalization", "ConvTranspose");

    /** What an op needs besides its inputs. */
    record Context(long opset, boolean training, Backend backend) {
    }

    private OnnxOps() {
    }

    static Object run(OnnxDefs.Node n, List<Object> in, Context c) {
        return switch (n.opType()) {
            case "Conv" -> OnnxSpatialOps.conv(n, in, c);
            case "ConvTranspose" -> OnnxSpatialOps.convTranspose(n, in, c);
            case "BatchNormalization" -> OnnxSpatialOps.batchNorm(n, in, c);
            case "MaxPool", "AveragePool" -> OnnxSpatialOps.pool(n, in);
            case "GlobalAveragePool" -> OnnxSpatialOps.globalPool(n, in, false);
            case "GlobalMaxPool" -> OnnxSpatialOps.globalPool(n, in, true);
            case "Pad" -> OnnxSpatialOps.pad(n, in, c);
            case "Relu" -> Activations.relu(f(n, in, 0, c));
            case "LeakyRelu" -> Activations.leakyRelu(f(n, in, 0, c), attrFloat(n, "alpha", 0.01f));
            case "Sigmoid" -> Activations.sigmoid(f(n, in, 0, c));
            case "Tanh" -> Activations.tanh(f(n, in, 0, c));
            case "Erf" -> Activations.erf(f(n, in, 0, c));
            case "Sqrt" -> Arithmetic.sqrt(f(n, in, 0, c));
            case "Exp" -> Arithmetic.exp(f(n, in, 0, c));
            case "Log" -> Arithmetic.log(f(n, in, 0, c));
            case "Neg" -> Arithmetic.neg(f(n, in, 0, c));
            case "Abs" -> Arithmetic.abs(f(n, in, 0, c));
            case "Clip" -> clip(n, in, c);
            case "HardSigmoid" -> hardSigmoid(f(n, in, 0, c), attrFloat(n, "alpha", 0.2f), attrFloat(n, "beta", 0.5f));
            case "HardSwish" -> Activations.hardswish(f(n, in, 0, c));
            case "Softmax", "LogSoftmax" -> softmax(n, f(n, in, 0, c), c);
            case "Add", "Sub", "Mul", "Div" -> binary(n, in, c);
            case "Gemm" -> gemm(n, in, c);
            case "MatMul" -> matmul(f(n, in, 0, c), f(n, in, 1, c));
            case "Flatten" -> OnnxShapeOps.flatten(n, f(n, in, 0, c));
            case "Reshape" -> OnnxShapeOps.reshape(n, in.get(0), ints(n, in, 1));
            case "Concat" -> OnnxShapeOps.concat(n, in, c);
            case "Squeeze", "Unsqueeze" -> OnnxShapeOps.squeeze(n, in, c);
            case "Transpose" -> OnnxShapeOps.transpose(n, f(n, in, 0, c));
            case "Slice" -> OnnxShapeOps.slice(n, in, c);
            case "Split" -> OnnxShapeOps.split(n, in, c);
            case "ReduceMean", "ReduceSum" -> reduce(n, in, c);
            case "Pow" -> pow(n, in, c);
            case "LayerNormalization" -> layerNorm(n, in, c);
            case "Dropout", "Identity" -> in.get(0);
            case "Constant" -> OnnxShapeOps.constant(n, c);
            case "Shape" -> OnnxShapeOps.shape(n, in.get(0));
            case "Gather" -> OnnxShapeOps.gather(n, in);
            case "Cast" -> OnnxShapeOps.cast(n, in.get(0), c);
            case "ConstantOfShape" -> OnnxShapeOps.constantOfShape(n, ints(n, in, 0), c);
            default -> throw new OnnxFormatException("node '" + n.label() + "': operator " + n.opType()
                    + " is not supported");
        };
    }

    // ---- value access ----

    static OnnxFormatException fail(OnnxDefs.Node n, String what) {
        return new OnnxFormatException("node '" + n.label() + "' (" + n.opType() + "): " + what);
    }

    /** Input {@code i} as a float tensor (host integers become a constant tensor). */
    static Tensor f(OnnxDefs.Node n, List<Object> in, int i, Context c) {
        Object v = i < in.size() ? in.get(i) : null;
        if (v == null) {
            throw fail(n, "input " + i + " is missing");
        }
        if (v instanceof Ints ints) {
            float[] data = new float[ints.data().length];
            for (int k = 0; k < data.length; k++) {
                data[k] = ints.data()[k];
            }
            return Tensor.of(c.backend(), data, shapeOf(ints.dims()));
        }
        return (Tensor) v;
    }

    static Ints ints(OnnxDefs.Node n, List<Object> in, int i) {
        Object v = i < in.size() ? in.get(i) : null;
        if (v instanceof Ints ints) {
            return ints;
        }
        throw fail(n, "input " + i + " must be a constant integer tensor (shape, axes or indices), got "
                + (v == null ? "nothing" : "a float tensor"));
    }

    static Shape shapeOf(long[] dims) {
        return Shape.of(Arrays.stream(dims).mapToInt(Math::toIntExact).toArray());
    }

    static Tensor constantTensor(Context c, OnnxDefs.TensorDef t) {
        return Tensor.of(c.backend(), t.floats(), shapeOf(t.dims()));
    }

    static OnnxDefs.Attribute attr(OnnxDefs.Node n, String name) {
        return n.attributes().get(name);
    }

    static long attrInt(OnnxDefs.Node n, String name, long def) {
        OnnxDefs.Attribute a = attr(n, name);
        return a == null ? def : a.i();
    }

    static float attrFloat(OnnxDefs.Node n, String name, float def) {
        OnnxDefs.Attribute a = attr(n, name);
        return a == null ? def : a.f();
    }

    static long[] attrInts(OnnxDefs.Node n, String name, long[] def) {
        OnnxDefs.Attribute a = attr(n, name);
        return a == null ? def : a.ints();
    }

    static String attrString(OnnxDefs.Node n, String name, String def) {
        OnnxDefs.Attribute a = attr(n, name);
        return a == null || a.s() == null ? def : new String(a.s(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static int axis(OnnxDefs.Node n, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw fail(n, "axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    // ---- elementwise ----

    private static Tensor clip(OnnxDefs.Node n, List<Object> in, Context c) {
        Tensor x = f(n, in, 0, c);
        Float lo, hi;
        if (c.opset() < 11) {
            lo = attr(n, "min") == null ? null : attrFloat(n, "min", 0);
            hi = attr(n, "max") == null ? null : attrFloat(n, "max", 0);
        } else {
            lo = in.size() > 1 && in.get(1) != null ? f(n, in, 1, c).item() : null;
            hi = in.size() > 2 && in.get(2) != null ? f(n, in, 2, c).item() : null;
        }
        if (lo != null && hi != null && lo == 0f && hi == 6f) {
            return Activations.relu6(x);
        }
        return clip(x, lo, hi);
    }

    /** min(max(x, lo), hi) from ReLUs, so the gradient is PyTorch's (1 inside, 0 outside). */
    static Tensor clip(Tensor x, Float lo, Float hi) {
        Tensor y = x;
        if (lo != null) {
            y = Arithmetic.add(Activations.relu(Arithmetic.add(y, -lo)), lo);
        }
        if (hi != null) {
            y = Arithmetic.add(Arithmetic.neg(Activations.relu(Arithmetic.add(Arithmetic.neg(y), hi))), hi);
        }
        return y;
    }

    private static Tensor hardSigmoid(Tensor x, float alpha, float beta) {
        if (alpha == 1f / 6 && beta == 0.5f) {
            return Activations.hardsigmoid(x); // PyTorch's relu6(x + 3) / 6, as exported
        }
        return clip(Arithmetic.add(Arithmetic.mul(x, alpha), beta), 0f, 1f);
    }

    private static Tensor softmax(OnnxDefs.Node n, Tensor x, Context c) {
        boolean log = n.opType().equals("LogSoftmax");
        int axis = axis(n, attrInt(n, "axis", c.opset() >= 13 ? -1 : 1), x.rank());
        if (axis == x.rank() - 1) {
            return log ? Activations.logSoftmax(x) : Activations.softmax(x);
        }
        if (c.opset() >= 13) {
            throw fail(n, "softmax over axis " + axis + " of " + x.shape() + "; cnn4j supports the last axis");
        }
        // before opset 13 the input is seen as 2-D [prod(:axis), prod(axis:)]
        Tensor flat = Shapes.reshape(x, (int) x.shape().size(0, axis), (int) x.shape().size(axis, x.rank()));
        Tensor y = log ? Activations.logSoftmax(flat) : Activations.softmax(flat);
        return Shapes.reshape(y, x.shape().dims());
    }

    private static Object binary(OnnxDefs.Node n, List<Object> in, Context c) {
        if (in.get(0) instanceof Ints a && in.get(1) instanceof Ints b) {
            return intBinary(n, a, b);
        }
        Tensor a = f(n, in, 0, c), b = f(n, in, 1, c);
        return switch (n.opType()) {
            case "Add" -> Arithmetic.add(a, b);
            case "Sub" -> Arithmetic.sub(a, b);
            case "Mul" -> Arithmetic.mul(a, b);
            default -> Arithmetic.div(a, b);
        };
    }

    private static Ints intBinary(OnnxDefs.Node n, Ints a, Ints b) {
        boolean aScalar = a.data().length == 1, bScalar = b.data().length == 1;
        if (!aScalar && !bScalar && a.data().length != b.data().length) {
            throw fail(n, "integer operands " + a + " and " + b + " differ in size");
        }
        Ints shape = a.data().length >= b.data().length ? a : b;
        long[] out = new long[shape.data().length];
        for (int i = 0; i < out.length; i++) {
            long x = a.data()[aScalar ? 0 : i], y = b.data()[bScalar ? 0 : i];
            out[i] = switch (n.opType()) {
                case "Add" -> x + y;
                case "Sub" -> x - y;
                case "Mul" -> x * y;
                default -> {
                    if (y == 0) {
                        throw fail(n, "integer division by zero");
                    }
                    yield Math.floorDiv(x, y);
                }
            };
        }
        return new Ints(shape.dims(), out);
    }

    // ---- matrix products ----

    private static Tensor gemm(OnnxDefs.Node n, List<Object> in, Context c) {
        if (attrInt(n, "transA", 0) != 0) {
            throw fail(n, "transA=1 is not supported");
        }
        Tensor a = f(n, in, 0, c), b = f(n, in, 1, c);
        Tensor y = attrInt(n, "transB", 0) != 0 ? MatMul.linear(a, b, null) : MatMul.matmul(a, b);
        float alpha = attrFloat(n, "alpha", 1f), beta = attrFloat(n, "beta", 1f);
        if (alpha != 1f) {
            y = Arithmetic.mul(y, alpha);
        }
        if (in.size() > 2 && in.get(2) != null) {
            Tensor bias = f(n, in, 2, c);
            y = Arithmetic.add(y, beta == 1f ? bias : Arithmetic.mul(bias, beta));
        }
        return y;
    }

    /** [..., K] x [K, M]: the leading axes are folded into rows. */
    private static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() == 2) {
            return MatMul.matmul(a, b);
        }
        int k = a.dim(a.rank() - 1);
        Tensor y = MatMul.matmul(Shapes.reshape(a, (int) (a.numel() / k), k), b);
        int[] dims = a.shape().dims();
        dims[dims.length - 1] = b.dim(1);
        return Shapes.reshape(y, dims);
    }

    /** ReduceMean and ReduceSum: axes an attribute until the op's version moved them to an input (18, 13). */
    private static Tensor reduce(OnnxDefs.Node n, List<Object> in, Context c) {
        Tensor x = f(n, in, 0, c);
        boolean mean = n.opType().equals("ReduceMean");
        boolean axesInput = c.opset() >= (mean ? 18 : 13);
        long[] axes = axesInput ? (in.size() > 1 && in.get(1) != null ? ints(n, in, 1).data() : null)
                : attrInts(n, "axes", null);
        if (axes == null || axes.length == 0) {
            if (attrInt(n, "noop_with_empty_axes", 0) != 0) {
                return x;
            }
            axes = java.util.stream.LongStream.range(0, x.rank()).toArray();
        }
        int[] a = Arrays.stream(axes).mapToInt(v -> axis(n, v, x.rank())).toArray();
        boolean keep = attrInt(n, "keepdims", 1) != 0;
        return mean ? Arithmetic.mean(x, a, keep) : Arithmetic.sum(x, a, keep);
    }

    /** LayerNormalization (opset 17) over the axes from {@code axis} on, with scale and optional bias. */
    private static Tensor layerNorm(OnnxDefs.Node n, List<Object> in, Context c) {
        if (n.outputs().size() > 1) {
            throw fail(n, "the Mean and InvStdDev outputs are not supported");
        }
        Tensor x = f(n, in, 0, c);
        int first = axis(n, attrInt(n, "axis", -1), x.rank());
        int[] axes = java.util.stream.IntStream.range(first, x.rank()).toArray();
        Tensor centered = Arithmetic.sub(x, Arithmetic.mean(x, axes, true));
        Tensor variance = Arithmetic.mean(Arithmetic.mul(centered, centered), axes, true);
        Tensor normalized = Arithmetic.mul(centered,
                Arithmetic.pow(Arithmetic.add(variance, attrFloat(n, "epsilon", 1e-5f)), -0.5f));
        Tensor y = Arithmetic.mul(normalized, f(n, in, 1, c));
        return in.size() > 2 && in.get(2) != null ? Arithmetic.add(y, f(n, in, 2, c)) : y;
    }

    /**
     * x ** s for a scalar exponent s (what exported normalizations use); s is read as a constant, so no gradient
     * reaches it even when it is an initializer (and so a parameter).
     */
    private static Tensor pow(OnnxDefs.Node n, List<Object> in, Context c) {
        Tensor exponent = f(n, in, 1, c);
        if (exponent.numel() != 1) {
            throw fail(n, "only a constant scalar exponent is supported, got shape " + exponent.shape());
        }
        return Arithmetic.pow(f(n, in, 0, c), exponent.item());
    }

}
