package org.cnn4j.io.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cnn4j.ops.Embedding;
import org.cnn4j.ops.Shapes;
import org.cnn4j.ops.Slicing;
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
 * ONNX's shape operators (Flatten, Reshape, Concat, Squeeze, Unsqueeze, Transpose, Slice, Split) on float tensors
 * and on host integers, and
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

    static Tensor transpose(OnnxDefs.Node n, Tensor x) {
        int rank = x.rank();
        long[] perm = attrInts(n, "perm", null);
        int[] p = new int[rank];
        if (perm != null && perm.length != rank) {
            throw fail(n, "perm " + Arrays.toString(perm) + " does not match an input of rank " + rank);
        }
        for (int i = 0; i < rank; i++) {
            p[i] = perm == null ? rank - 1 - i : axis(n, perm[i], rank);
        }
        return Slicing.permute(x, p);
    }

    /** Slice: starts/ends/axes/steps as inputs (opset 10+) or attributes (before); negative and huge ends clamp. */
    static Object slice(OnnxDefs.Node n, List<Object> in, OnnxOps.Context c) {
        Object x = in.get(0);
        long[] dims = x instanceof Ints i ? i.dims() : Arrays.stream(((Tensor) x).shape().dims()).asLongStream()
                .toArray();
        boolean asInputs = c.opset() >= 10;
        long[] starts = asInputs ? ints(n, in, 1).data() : attrInts(n, "starts", null);
        long[] ends = asInputs ? ints(n, in, 2).data() : attrInts(n, "ends", null);
        long[] axes = asInputs ? optionalInts(n, in, 3) : attrInts(n, "axes", null);
        long[] steps = asInputs ? optionalInts(n, in, 4) : null;
        if (starts == null || ends == null || starts.length != ends.length
                || (axes != null && axes.length != starts.length) || (steps != null && steps.length != starts.length)) {
            throw fail(n, "starts, ends, axes and steps must be given with one entry per sliced axis");
        }
        Object y = x;
        for (int k = 0; k < starts.length; k++) {
            int ax = axis(n, axes == null ? k : axes[k], dims.length);
            long step = steps == null ? 1 : steps[k];
            if (step <= 0) {
                throw fail(n, "step " + step + " on axis " + ax + " is not supported; cnn4j slices with steps >= 1");
            }
            long dim = dims[ax];
            long start = clamp(starts[k] < 0 ? starts[k] + dim : starts[k], dim);
            long end = clamp(ends[k] < 0 ? ends[k] + dim : ends[k], dim);
            if (start >= end) {
                throw fail(n, "slice [" + starts[k] + ", " + ends[k] + ") of axis " + ax + " (size " + dim
                        + ") selects nothing; empty tensors are not supported");
            }
            if (start == 0 && end == dim && step == 1) {
                continue;
            }
            y = y instanceof Ints i ? sliceInts(n, i, start, end, step)
                    : Slicing.slice((Tensor) y, ax, (int) start, (int) end, (int) step);
        }
        return y;
    }

    private static long[] optionalInts(OnnxDefs.Node n, List<Object> in, int i) {
        return i < in.size() && in.get(i) != null ? ints(n, in, i).data() : null;
    }

    private static long clamp(long v, long dim) {
        return Math.max(0, Math.min(dim, v));
    }

    private static Ints sliceInts(OnnxDefs.Node n, Ints x, long start, long end, long step) {
        if (x.dims().length != 1) {
            throw fail(n, "Slice of integer tensors is supported on 1-D (shape) tensors only, got " + x);
        }
        long[] out = new long[(int) ((end - start + step - 1) / step)];
        for (int i = 0; i < out.length; i++) {
            out[i] = x.data()[(int) (start + i * step)];
        }
        return Ints.vector(out);
    }

    /** Split: sizes from the attribute (before opset 13) or input 1, else equal parts (num_outputs at 18). */
    static Tensor[] split(OnnxDefs.Node n, List<Object> in, OnnxOps.Context c) {
        Tensor x = f(n, in, 0, c);
        int ax = axis(n, attrInt(n, "axis", 0), x.rank());
        int dim = x.dim(ax);
        long[] sizes = c.opset() >= 13 ? optionalInts(n, in, 1) : attrInts(n, "split", null);
        int parts = (int) attrInt(n, "num_outputs", n.outputs().size());
        if (sizes == null) {
            if (parts < 1 || parts > dim) {
                throw fail(n, "cannot split axis " + ax + " of size " + dim + " into " + parts + " parts");
            }
            int chunk = (dim + parts - 1) / parts;
            sizes = new long[parts];
            Arrays.fill(sizes, chunk);
            sizes[parts - 1] = dim - (long) chunk * (parts - 1);
        }
        if (sizes.length != n.outputs().size()) {
            throw fail(n, "split sizes " + Arrays.toString(sizes) + " give " + sizes.length + " parts for "
                    + n.outputs().size() + " outputs");
        }
        int[] s = new int[sizes.length];
        for (int i = 0; i < s.length; i++) {
            if (sizes[i] < 1 || sizes[i] > dim) {
                throw fail(n, "split sizes " + Arrays.toString(sizes) + " must be positive and sum to " + dim);
            }
            s[i] = (int) sizes[i];
        }
        try {
            return Slicing.split(x, ax, s);
        } catch (IllegalArgumentException e) {
            throw fail(n, e.getMessage());
        }
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

    static Object gather(OnnxDefs.Node n, List<Object> in) {
        if (in.get(0) instanceof Tensor x) {
            return gatherFloat(n, x, ints(n, in, 1));
        }
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

    /**
     * Gather from a float tensor: rows of a [rows, dim] table by indices of any shape (an embedding lookup), or, on
     * any axis, one index (the axis goes, as {@code x[:, 0]}) or a vector of them (slices concatenated).
     */
    private static Tensor gatherFloat(OnnxDefs.Node n, Tensor x, Ints idx) {
        int ax = axis(n, attrInt(n, "axis", 0), x.rank());
        long[] index = idx.data();
        if (ax == 0 && x.rank() == 2 && idx.dims().length > 1) {
            float[] ids = new float[index.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = axis(n, index[i], x.dim(0));
            }
            // the ids stay open: the lookup's backward keeps a view of them
            return Embedding.embedding(Tensor.of(x.backend(), ids, OnnxOps.shapeOf(idx.dims())), x, -1);
        }
        if (idx.dims().length > 1) {
            throw fail(n, "Gather of a float tensor with indices of shape " + Arrays.toString(idx.dims())
                    + " is supported as a row lookup in a 2-D table only");
        }
        Tensor[] picked = new Tensor[index.length];
        for (int i = 0; i < picked.length; i++) {
            int at = axis(n, index[i], x.dim(ax));
            picked[i] = Slicing.slice(x, ax, at, at + 1, 1);
        }
        Tensor y = picked.length == 1 ? picked[0] : Shapes.concat(ax, picked);
        if (idx.dims().length == 0) {
            int[] dims = new int[x.rank() - 1];
            for (int i = 0, j = 0; i < x.rank(); i++) {
                if (i != ax) {
                    dims[j++] = x.dim(i);
                }
            }
            y = Shapes.reshape(y, dims);
        }
        return y;
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
