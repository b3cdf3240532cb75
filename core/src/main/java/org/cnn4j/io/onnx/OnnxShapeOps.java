package org.cnn4j.io.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import static org.cnn4j.io.onnx.OnnxOps.attr;
import static org.cnn4j.io.onnx.OnnxOps.attrFloat;
import static org.cnn4j.io.onnx.OnnxOps.attrInt;
import static org.cnn4j.io.onnx.OnnxOps.attrInts;
import static org.cnn4j.io.onnx.OnnxOps.axis;
import static org.cnn4j.io.onnx.OnnxOps.constantTensor;
import static org.cnn4j.io.onnx.OnnxOps.f;
import static org.cnn4j.io.onnx.OnnxOps.fail;
import static org.cnn4j.io.onnx.OnnxOps.ints;

/**
 * ONNX's shape operators (Flatten, Reshape, Concat, Squeeze, Unsqueeze) on float tensors and on host integers, and
 * the constants and shape arithmetic (Constant, Shape, Gather, Cast, ConstantOfShape) of exported graphs.
 */
final class OnnxShapeOps {
    private OnnxShapeOps() {
    }

    // ---- shapes ----

    static Tensor flatten(OnnxDefs.Node n, Tensor x) {
        long axis = attrInt(n, "axis", 1);
        int a = axis == x.rank() ? x.rank() : axis(n, axis, x.rank());
        return Shapes.reshape(x, (int) x.shape().size(0, a), (int) x.shape().size(a, x.rank()));
    }

    static Object reshape(OnnxDefs.Node n, Object x, Ints shape) {
        long[] in = x instanceof Ints i ? i.dims() : Arrays.stream(((Tensor) x).shape().dims()).asLongStream()
                .toArray();
        long numel = Arrays.stream(in).reduce(1, (p, q) -> p * q);
        long[] target = shape.data().clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0 && attrInt(n, "allowzero", 0) == 0) {
                if (i >= in.length) {
                    throw fail(n, "shape " + Arrays.toString(shape.data()) + " copies axis " + i + " of a rank-"
                            + in.length + " input");
                }
                target[i] = in[i];
            }
            if (target[i] == -1) {
                if (infer >= 0) {
                    throw fail(n, "shape " + Arrays.toString(shape.data()) + " has two -1 entries");
                }
                infer = i;
            } else {
                known *= target[i];
            }
        }
        if (infer >= 0 && known > 0) {
            target[infer] = numel / known;
        }
        if (Arrays.stream(target).reduce(1, (p, q) -> p * q) != numel) {
            throw fail(n, "cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(shape.data()));
        }
        if (x instanceof Ints i) {
            return new Ints(target, i.data());
        }
        return Shapes.reshape((Tensor) x, Arrays.stream(target).mapToInt(Math::toIntExact).toArray());
    }

    static Object concat(OnnxDefs.Node n, List<Object> in, OnnxOps.Context c) {
        if (in.stream().allMatch(v -> v instanceof Ints)) {
            List<Long> out = new ArrayList<>();
            for (Object v : in) {
                for (long d : ((Ints) v).data()) {
                    out.add(d);
                }
            }
            return Ints.vector(out.stream().mapToLong(Long::longValue).toArray());
        }
        Tensor[] parts = new Tensor[in.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = f(n, in, i, c);
        }
        return Shapes.concat(axis(n, attrInt(n, "axis", 0), parts[0].rank()), parts);
    }

    static Object squeeze(OnnxDefs.Node n, List<Object> in, OnnxOps.Context c) {
        Object x = in.get(0);
        long[] dims = x instanceof Ints i ? i.dims() : Arrays.stream(((Tensor) x).shape().dims()).asLongStream()
                .toArray();
        long[] axes = c.opset() >= 13 ? (in.size() > 1 && in.get(1) != null ? ints(n, in, 1).data() : null)
                : attrInts(n, "axes", null);
        boolean squeeze = n.opType().equals("Squeeze");
        List<Long> out = new ArrayList<>();
        if (squeeze) {
            int rank = dims.length;
            for (int i = 0; i < rank; i++) {
                boolean listed = axes == null ? dims[i] == 1 : contains(n, axes, i, rank);
                if (listed && dims[i] != 1) {
                    throw fail(n, "cannot squeeze axis " + i + " of size " + dims[i]);
                }
                if (!listed) {
                    out.add(dims[i]);
                }
            }
        } else {
            if (axes == null) {
                throw fail(n, "Unsqueeze needs axes");
            }
            int rank = dims.length + axes.length;
            for (int i = 0, j = 0; i < rank; i++) {
                out.add(contains(n, axes, i, rank) ? 1L : dims[j++]);
            }
        }
        long[] shape = out.stream().mapToLong(Long::longValue).toArray();
        if (x instanceof Ints i) {
            return new Ints(shape, i.data());
        }
        return Shapes.reshape((Tensor) x, Arrays.stream(shape).mapToInt(Math::toIntExact).toArray());
    }

    static boolean contains(OnnxDefs.Node n, long[] axes, int i, int rank) {
        for (long a : axes) {
            if (axis(n, a, rank) == i) {
                return true;
            }
        }
        return false;
    }

    // ---- constants and shape arithmetic ----

    static Object constant(OnnxDefs.Node n, OnnxOps.Context c) {
        OnnxDefs.Attribute v = attr(n, "value");
        if (v != null && v.t() != null) {
            return v.t().isFloat() ? constantTensor(c, v.t()) : new Ints(v.t().dims(), v.t().longs());
        }
        if (attr(n, "value_float") != null) {
            return Tensor.of(c.backend(), new float[] {attrFloat(n, "value_float", 0)}, Shape.scalar());
        }
        if (attr(n, "value_int") != null) {
            return Ints.scalar(attrInt(n, "value_int", 0));
        }
        if (attr(n, "value_ints") != null) {
            return Ints.vector(attrInts(n, "value_ints", new long[0]));
        }
        throw fail(n, "Constant without a tensor, float, int or ints value");
    }

    static Ints shape(OnnxDefs.Node n, Object x) {
        long[] dims = x instanceof Ints i ? i.dims() : Arrays.stream(((Tensor) x).shape().dims()).asLongStream()
                .toArray();
        int rank = dims.length;
        long start = attrInt(n, "start", 0), end = attrInt(n, "end", rank);
        int s = (int) Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        int e = (int) Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        return Ints.vector(Arrays.copyOfRange(dims, s, Math.max(s, e)));
    }

    static Ints gather(OnnxDefs.Node n, List<Object> in) {
        Ints data = ints(n, in, 0), idx = ints(n, in, 1);
        if (data.dims().length != 1 || attrInt(n, "axis", 0) != 0) {
            throw fail(n, "Gather is supported on 1-D integer tensors (shape arithmetic) only");
        }
        long[] out = new long[idx.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.data()[axis(n, idx.data()[i], data.data().length)];
        }
        return new Ints(idx.dims(), out);
    }

    static Object cast(OnnxDefs.Node n, Object x, OnnxOps.Context c) {
        long to = attrInt(n, "to", 1);
        boolean toFloat = to == OnnxProtos.DTYPE_FLOAT || to == OnnxProtos.DTYPE_DOUBLE;
        if (toFloat) {
            return f(n, List.of(x), 0, c);
        }
        if (to == OnnxProtos.DTYPE_INT64 || to == OnnxProtos.DTYPE_INT32) {
            if (x instanceof Ints) {
                return x;
            }
            Tensor t = (Tensor) x;
            float[] v = t.toFloatArray();
            long[] out = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (long) v[i];
            }
            return new Ints(Arrays.stream(t.shape().dims()).asLongStream().toArray(), out);
        }
        throw fail(n, "Cast to data type " + to + " is not supported");
    }

    static Tensor constantOfShape(OnnxDefs.Node n, Ints shape, OnnxOps.Context c) {
        OnnxDefs.Attribute v = attr(n, "value");
        float value = v == null || v.t() == null ? 0f
                : v.t().isFloat() ? v.t().floats()[0] : (float) v.t().longs()[0];
        return Tensor.full(c.backend(), OnnxOps.shapeOf(shape.data()), value);
    }
}
