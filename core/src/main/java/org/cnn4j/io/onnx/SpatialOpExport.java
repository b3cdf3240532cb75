package org.cnn4j.io.onnx;

import java.util.ArrayList;
import java.util.List;

import org.cnn4j.backend.ConvSpec;
import org.cnn4j.backend.PoolSpec;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

import static org.cnn4j.io.onnx.ExportGraph.floatAttr;
import static org.cnn4j.io.onnx.ExportGraph.intAttr;
import static org.cnn4j.io.onnx.ExportGraph.ints;

/**
 * The ONNX form of the NCHW ops called directly rather than through a layer (functional pooling in Inception,
 * DenseNet's adaptive pool, ShuffleNet's channel shuffle, the 2-D views that 1-D convolutions and pools run on),
 * from the settings their autograd nodes keep.
 */
final class SpatialOpExport {
    private SpatialOpExport() {
    }

    /** The output name, or null when the op has no form here. */
    static String export(ExportGraph g, AutogradOpExport.Op op) {
        return switch (op.name()) {
            case "conv2d" -> conv(g, op.hint(), op.in(), op.inShapes().get(1), (ConvSpec) op.attr("spec"));
            case "max_pool2d" -> pool(g, "MaxPool", (PoolSpec) op.attr("spec"), op.hint(), op.x());
            case "avg_pool2d" -> pool(g, "AveragePool", (PoolSpec) op.attr("spec"), op.hint(), op.x());
            case "adaptive_avg_pool2d" -> AdaptivePoolExport.export(g, op.hint(), op.x(), op.inShapes().get(0),
                    op.out());
            case "batch_norm_eval" -> g.node("BatchNormalization", op.hint(), List.of(op.x(), op.in().get(1),
                    op.in().get(2), op.tensorName().apply((Tensor) op.attr("running_mean")),
                    op.tensorName().apply((Tensor) op.attr("running_var"))),
                    floatAttr("epsilon", (Float) op.attr("eps")));
            case "conv_transpose2d" -> convTranspose(g, op.hint(), op.in(), op.inShapes().get(1),
                    (ConvSpec) op.attr("spec"), (int[]) op.attr("output_padding"));
            case "channel_shuffle" -> channelShuffle(g, op.hint(), op.x(), op.out(), (Integer) op.attr("groups"));
            default -> null;
        };
    }

    /** Conv with the weight's kernel size; {@code in} is input, weight and (optionally) bias. */
    static String conv(ExportGraph g, String hint, List<String> in, Shape weight, ConvSpec s) {
        return g.node("Conv", hint, new ArrayList<>(in), ints("kernel_shape", weight.dim(2), weight.dim(3)),
                ints("strides", s.strideH(), s.strideW()), ints("pads", s.padH(), s.padW(), s.padH(), s.padW()),
                ints("dilations", s.dilationH(), s.dilationW()), intAttr("group", s.groups()));
    }

    /** ConvTranspose; {@code in} is input, weight [C, K/groups, R, S] and (optionally) bias. */
    private static String convTranspose(ExportGraph g, String hint, List<String> in, Shape weight, ConvSpec s,
                                        int[] outputPadding) {
        return g.node("ConvTranspose", hint, new ArrayList<>(in), ints("kernel_shape", weight.dim(2), weight.dim(3)),
                ints("strides", s.strideH(), s.strideW()), ints("pads", s.padH(), s.padW(), s.padH(), s.padW()),
                ints("dilations", s.dilationH(), s.dilationW()), intAttr("group", s.groups()),
                ints("output_padding", outputPadding[0], outputPadding[1]));
    }

    static String pool(ExportGraph g, String op, PoolSpec s, String path, String in) {
        List<byte[]> attrs = new ArrayList<>(List.of(ints("kernel_shape", s.kernelH(), s.kernelW()),
                ints("strides", s.strideH(), s.strideW()), ints("pads", s.padH(), s.padW(), s.padH(), s.padW()),
                intAttr("ceil_mode", s.ceilMode() ? 1 : 0)));
        if (op.equals("AveragePool")) {
            attrs.add(intAttr("count_include_pad", s.countIncludePad() ? 1 : 0));
        }
        return g.node(op, path, List.of(in), attrs.toArray(byte[][]::new));
    }

    /** {@code x.view(N, g, C/g, H, W).transpose(1, 2).reshape(N, C, H, W)}, with the batch axis copied. */
    private static String channelShuffle(ExportGraph g, String hint, String x, Shape shape, int groups) {
        int c = shape.dim(1), h = shape.dim(2), w = shape.dim(3);
        String grouped = g.node("Reshape", hint + ".grouped", List.of(x,
                g.int64Constant(hint + ".grouped_shape", 0, groups, c / groups, h, w)));
        String swapped = g.node("Transpose", hint + ".swapped", List.of(grouped), ints("perm", 0, 2, 1, 3, 4));
        return g.node("Reshape", hint, List.of(swapped, g.int64Constant(hint + ".shape", 0, c, h, w)));
    }
}
