package org.cnn4j.io.onnx;

import java.util.List;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.ops.ConvTranspose;
import org.cnn4j.ops.Convolution;
import org.cnn4j.ops.Normalization;
import org.cnn4j.ops.Pooling;
import org.cnn4j.ops.Shapes;
import org.cnn4j.ops.Slicing;
import org.cnn4j.tensor.Tensor;

import static org.cnn4j.io.onnx.OnnxOps.attrFloat;
import static org.cnn4j.io.onnx.OnnxOps.attrInt;
import static org.cnn4j.io.onnx.OnnxOps.attrInts;
import static org.cnn4j.io.onnx.OnnxOps.attrString;
import static org.cnn4j.io.onnx.OnnxOps.f;
import static org.cnn4j.io.onnx.OnnxOps.fail;

/** ONNX's 2-D convolution, pooling, batch normalization and constant padding on cnn4j's ops (NCHW). */
final class OnnxSpatialOps {
    private OnnxSpatialOps() {
    }

    /** Begin/end padding of the two spatial axes: {top, left, bottom, right}, as ONNX orders {@code pads}. */
    private static long[] pads(OnnxDefs.Node n, Tensor x, long[] kernel, long[] strides, long[] dilations) {
        String autoPad = attrString(n, "auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET" -> {
                long[] p = attrInts(n, "pads", new long[4]);
                if (p.length != 4) {
                    throw fail(n, "expected 4 pads for a 2-D op, got " + p.length);
                }
                return p;
            }
            case "VALID" -> {
                return new long[4];
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                long[] p = new long[4];
                for (int i = 0; i < 2; i++) {
                    long in = x.dim(2 + i), s = strides[i];
                    long out = (in + s - 1) / s;
                    long total = Math.max(0, (out - 1) * s + (kernel[i] - 1) * dilations[i] + 1 - in);
                    long small = total / 2, big = total - small;
                    p[i] = autoPad.equals("SAME_UPPER") ? small : big;
                    p[i + 2] = autoPad.equals("SAME_UPPER") ? big : small;
                }
                return p;
            }
            default -> throw fail(n, "unknown auto_pad '" + autoPad + "'");
        }
    }

    private static void check2d(OnnxDefs.Node n, Tensor x) {
        if (x.rank() != 4) {
            throw fail(n, "cnn4j runs 2-D (NCHW) " + n.opType() + " only, got input " + x.shape());
        }
    }

    static Tensor conv(OnnxDefs.Node n, List<Object> in, OnnxOps.Context c) {
        Tensor x = f(n, in, 0, c), w = f(n, in, 1, c);
        Tensor b = in.size() > 2 && in.get(2) != null ? f(n, in, 2, c) : null;
        check2d(n, x);
        long[] kernel = attrInts(n, "kernel_shape", new long[] {w.dim(2), w.dim(3)});
        long[] strides = attrInts(n, "strides", new long[] {1, 1});
        long[] dilations = attrInts(n, "dilations", new long[] {1, 1});
        long[] p = pads(n, x, kernel, strides, dilations);
        if (p[0] != p[2] || p[1] != p[3]) {
            x = zeroPad(x, p[0], p[1], p[2], p[3]);
            p = new long[4];
        }
        ConvSpec spec = new ConvSpec((int) strides[0], (int) strides[1], (int) p[0], (int) p[1], (int) dilations[0],
                (int) dilations[1], (int) attrInt(n, "group", 1));
        return Convolution.conv2d(x, w, b, spec);
    }

    /**
     * ConvTranspose: pads from {@code pads}, or derived from {@code output_shape} or SAME auto_pad as ONNX defines
     * them; unequal begin/end pads compute with the smaller one and crop the rest (with no output padding).
     */
    static Tensor convTranspose(OnnxDefs.Node n, List<Object> in, OnnxOps.Context c) {
        Tensor x = f(n, in, 0, c), w = f(n, in, 1, c);
        Tensor b = in.size() > 2 && in.get(2) != null ? f(n, in, 2, c) : null;
        check2d(n, x);
        if (w.rank() != 4) {
            throw fail(n, "expected a 4-D weight, got " + w.shape());
        }
        long[] kernel = attrInts(n, "kernel_shape", new long[] {w.dim(2), w.dim(3)});
        long[] strides = attrInts(n, "strides", new long[] {1, 1});
        long[] dilations = attrInts(n, "dilations", new long[] {1, 1});
        long[] outPad = attrInts(n, "output_padding", new long[] {0, 0});
        long[] outShape = attrInts(n, "output_shape", null);
        String autoPad = attrString(n, "auto_pad", "NOTSET");
        long[] p = attrInts(n, "pads", new long[4]);
        if (p.length != 4 || kernel.length != 2 || strides.length != 2 || dilations.length != 2 || outPad.length != 2) {
            throw fail(n, "expected 2-D kernel_shape, strides, dilations, output_padding and 4 pads");
        }
        if (outShape != null || autoPad.startsWith("SAME")) {
            p = new long[4];
            for (int i = 0; i < 2; i++) {
                long in2 = x.dim(2 + i);
                long target = outShape != null ? outShape[outShape.length - 2 + i] : in2 * strides[i];
                long total = strides[i] * (in2 - 1) + outPad[i] + (kernel[i] - 1) * dilations[i] + 1 - target;
                if (total < 0) {
                    throw fail(n, "output_shape " + java.util.Arrays.toString(outShape) + " needs negative padding");
                }
                // ONNX: SAME_UPPER puts the odd unit at the end, anything else at the start
                p[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                p[i + 2] = total - p[i];
            }
        }
        boolean symmetric = p[0] == p[2] && p[1] == p[3];
        if (!symmetric && (outPad[0] != 0 || outPad[1] != 0)) {
            throw fail(n, "unequal pads " + java.util.Arrays.toString(p) + " with output_padding are not supported");
        }
        ConvSpec spec = new ConvSpec((int) strides[0], (int) strides[1], (int) Math.min(p[0], p[2]),
                (int) Math.min(p[1], p[3]), (int) dilations[0], (int) dilations[1], (int) attrInt(n, "group", 1));
        Tensor y;
        try {
            y = ConvTranspose.convTranspose2d(x, w, b, spec, (int) outPad[0], (int) outPad[1]);
        } catch (IllegalArgumentException e) {
            throw fail(n, e.getMessage());
        }
        for (int i = 0; i < 2 && !symmetric; i++) {
            long extra = Math.abs(p[i] - p[i + 2]);
            if (extra > 0) {
                int dim = y.dim(2 + i);
                int start = p[i] > p[i + 2] ? (int) extra : 0;
                y = Slicing.slice(y, 2 + i, start, start + dim - (int) extra, 1);
            }
        }
        return y;
    }

    static Tensor batchNorm(OnnxDefs.Node n, List<Object> in, OnnxOps.Context c) {
        Tensor x = f(n, in, 0, c);
        if (n.outputs().size() > 1) {
            throw fail(n, "training-mode BatchNormalization (extra outputs) is not supported; export in eval mode");
        }
        // ONNX momentum weighs the old running value; PyTorch's (and cnn4j's) weighs the new batch statistic
        float momentum = 1f - attrFloat(n, "momentum", 0.9f);
        // [N, C, L] (BatchNorm1d) runs as [N, C, L, 1]
        Tensor x4 = x.rank() == 3 ? Shapes.reshape(x, x.dim(0), x.dim(1), x.dim(2), 1) : x;
        Tensor y = Normalization.batchNorm(x4, f(n, in, 1, c), f(n, in, 2, c), f(n, in, 3, c), f(n, in, 4, c),
                c.training() && x.rank() >= 3, momentum, attrFloat(n, "epsilon", 1e-5f));
        return x4 == x ? y : Shapes.reshape(y, x.shape().dims());
    }

    static Tensor pool(OnnxDefs.Node n, List<Object> in) {
        Tensor x = (Tensor) in.get(0);
        check2d(n, x);
        long[] kernel = attrInts(n, "kernel_shape", null);
        if (kernel == null || kernel.length != 2) {
            throw fail(n, "expected a 2-D kernel_shape");
        }
        long[] strides = attrInts(n, "strides", new long[] {1, 1});
        long[] dilations = attrInts(n, "dilations", new long[] {1, 1});
        if (dilations[0] != 1 || dilations[1] != 1) {
            throw fail(n, "dilated pooling is not supported");
        }
        long[] p = pads(n, x, kernel, strides, dilations);
        if (p[0] != p[2] || p[1] != p[3]) {
            throw fail(n, "asymmetric pooling pads " + java.util.Arrays.toString(p) + " are not supported");
        }
        boolean max = n.opType().equals("MaxPool");
        if (max && n.outputs().size() > 1) {
            throw fail(n, "MaxPool's Indices output is not supported");
        }
        PoolSpec spec = new PoolSpec(max ? PoolSpec.PoolMode.MAX : PoolSpec.PoolMode.AVG, (int) kernel[0],
                (int) kernel[1], (int) strides[0], (int) strides[1], (int) p[0], (int) p[1],
                attrInt(n, "ceil_mode", 0) != 0, attrInt(n, "count_include_pad", 0) != 0);
        return Pooling.pool2d(x, spec);
    }

    static Tensor globalPool(OnnxDefs.Node n, List<Object> in, boolean max) {
        Tensor x = (Tensor) in.get(0);
        check2d(n, x);
        if (!max) {
            return Pooling.adaptiveAvgPool2d(x, 1, 1);
        }
        return Pooling.pool2d(x, new PoolSpec(PoolSpec.PoolMode.MAX, x.dim(2), x.dim(3), 1, 1, 0, 0, false, false));
    }

    /** Constant padding with zeros (the exported CIFAR shortcut, explicit conv padding). */
    static Tensor pad(OnnxDefs.Node n, List<Object> in, OnnxOps.Context c) {
        Tensor x = f(n, in, 0, c);
        String mode = attrString(n, "mode", "constant");
        long[] pads = c.opset() >= 11 ? OnnxOps.ints(n, in, 1).data() : attrInts(n, "pads", new long[0]);
        float value = c.opset() >= 11 ? (in.size() > 2 && in.get(2) != null ? f(n, in, 2, c).item() : 0f)
                : attrFloat(n, "value", 0f);
        if (!mode.equals("constant") || value != 0f) {
            throw fail(n, "only zero constant padding is supported, got mode '" + mode + "' value " + value);
        }
        if (pads.length != 2 * x.rank()) {
            throw fail(n, "expected " + 2 * x.rank() + " pads for rank " + x.rank() + ", got " + pads.length);
        }
        Tensor y = x;
        for (int axis = 0; axis < x.rank(); axis++) {
            long before = pads[axis], after = pads[axis + x.rank()];
            if (before < 0 || after < 0) {
                throw fail(n, "negative pads (cropping) are not supported");
            }
            y = padAxis(y, axis, before, after);
        }
        return y;
    }

    static Tensor zeroPad(Tensor x, long top, long left, long bottom, long right) {
        return padAxis(padAxis(x, 2, top, bottom), 3, left, right);
    }

    private static Tensor padAxis(Tensor x, int axis, long before, long after) {
        if (before == 0 && after == 0) {
            return x;
        }
        Tensor b = before == 0 ? null : Tensor.zeros(x.backend(), x.shape().withDim(axis, (int) before));
        Tensor a = after == 0 ? null : Tensor.zeros(x.backend(), x.shape().withDim(axis, (int) after));
        Tensor y = b == null ? Shapes.concat(axis, x, a) : a == null ? Shapes.concat(axis, b, x)
                : Shapes.concat(axis, b, x, a);
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        return y;
    }

}
