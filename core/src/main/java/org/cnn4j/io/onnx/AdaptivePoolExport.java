package org.cnn4j.io.onnx;

import java.util.List;

import org.cnn4j.tensor.Shape;

import static org.cnn4j.io.onnx.ExportGraph.ints;

/**
 * {@code AdaptiveAvgPool2d} for a traced input size: GlobalAveragePool for a 1x1 output, AveragePool when the
 * output divides the input, and otherwise (e.g. VGG's 7x7 pool on a small input) a MatMul with the constant
 * averaging matrix over the flattened spatial axes, which is what adaptive pooling computes.
 */
final class AdaptivePoolExport {
    private AdaptivePoolExport() {
    }

    static String export(ExportGraph g, String path, String in, Shape inShape, Shape outShape) {
        int h = inShape.dim(2), w = inShape.dim(3), oh = outShape.dim(2), ow = outShape.dim(3);
        if (oh == 1 && ow == 1) {
            return g.node("GlobalAveragePool", path, List.of(in));
        }
        if (h % oh == 0 && w % ow == 0) {
            return g.node("AveragePool", path, List.of(in), ints("kernel_shape", h / oh, w / ow),
                    ints("strides", h / oh, w / ow));
        }
        float[] matrix = new float[h * w * oh * ow];
        for (int a = 0; a < oh; a++) {
            int h0 = Math.floorDiv(a * h, oh), h1 = -Math.floorDiv(-(a + 1) * h, oh);
            for (int b = 0; b < ow; b++) {
                int w0 = Math.floorDiv(b * w, ow), w1 = -Math.floorDiv(-(b + 1) * w, ow);
                float share = 1f / ((h1 - h0) * (w1 - w0));
                for (int i = h0; i < h1; i++) {
                    for (int j = w0; j < w1; j++) {
                        matrix[(i * w + j) * (oh * ow) + a * ow + b] = share;
                    }
                }
            }
        }
        String pool = g.constant(path + ".pool_matrix", Shape.of(h * w, oh * ow), matrix);
        String flat = g.node("Reshape", path + ".flat", List.of(in, g.int64Constant(path + ".flat_shape", 0, 0, -1)));
        String pooled = g.node("MatMul", path + ".pooled", List.of(flat, pool));
        return g.node("Reshape", path, List.of(pooled, g.int64Constant(path + ".out_shape", 0, 0, oh, ow)));
    }
}
