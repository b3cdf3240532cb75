package org.cnn4j.models;

import java.util.List;

import org.cnn4j.io.onnx.ExportGraph;
import org.cnn4j.io.onnx.LayerExporters;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;

/**
 * ONNX export of the CIFAR ResNet block: its option-A shortcut (subsample by striding, zero channels on each
 * side) is computed in forward from settings the traced graph does not show, so the block exports itself:
 * conv-bn-relu-conv-bn, AveragePool(1, stride) and Pad for the shortcut, Add, Relu.
 */
final class CifarResNetOnnx {
    private CifarResNetOnnx() {
    }

    static void register() {
        LayerExporters.register(CifarResNet.Block.class, (g, block, path, in, inShape, outShape) -> {
            Conv2d conv1 = (Conv2d) child(block, "conv1");
            String out = LayerExporters.exportChild(g, conv1, path + ".conv1", in);
            out = LayerExporters.exportChild(g, child(block, "bn1"), path + ".bn1", out);
            out = g.node("Relu", path + ".relu", List.of(out));
            out = LayerExporters.exportChild(g, child(block, "conv2"), path + ".conv2", out);
            out = LayerExporters.exportChild(g, child(block, "bn2"), path + ".bn2", out);
            String sum = g.node("Add", path + ".add", List.of(out, shortcut(g, conv1, path, in)));
            return g.node("Relu", path, List.of(sum));
        });
    }

    private static Module child(Module block, String name) {
        return block.namedChildren().get(name);
    }

    private static String shortcut(ExportGraph g, Conv2d conv1, String path, String x) {
        int stride = conv1.spec().strideH();
        int padChannels = conv1.outChannels() - conv1.inChannels();
        String sub = stride == 1 ? x : g.node("AveragePool", path + ".shortcut_subsample", List.of(x),
                ExportGraph.ints("kernel_shape", 1, 1), ExportGraph.ints("strides", stride, stride));
        if (padChannels == 0) {
            return sub;
        }
        int side = padChannels / 2;
        return g.node("Pad", path + ".shortcut", List.of(sub,
                g.int64Constant(path + ".shortcut_pads", 0, side, 0, 0, 0, side, 0, 0)));
    }
}
