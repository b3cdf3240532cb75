package org.cnn4j.models;

import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.ops.Pooling;
import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Tensor;

/**
 * Inception v3's modules, named and wired as torchvision's {@code InceptionA} ... {@code InceptionE} and
 * {@code InceptionAux}.
 */
final class InceptionBlocks {
    private InceptionBlocks() {
    }

    /** A module whose children the helpers below register. */
    abstract static class Block extends Module {
        <M extends Module> M registerChild(String name, M child) {
            return registerModule(name, child);
        }
    }

    private static BasicConv2d conv(Block owner, String name, int in, int out, int kernel, int stride, int pad) {
        return owner.registerChild(name, new BasicConv2d(in, out, kernel, stride, pad));
    }

    /** A 1x7 ({@code wide}) or 7x1 conv with "same" padding, or the 1x3 / 3x1 of module E. */
    private static BasicConv2d line(Block owner, String name, int in, int out, int length, boolean wide) {
        int pad = length / 2;
        return owner.registerChild(name, wide ? new BasicConv2d(in, out, 1, length, 1, 0, pad)
                : new BasicConv2d(in, out, length, 1, 1, pad, 0));
    }

    /** 3x3 average pool, stride 1, padding 1, padding counted (PyTorch's default). */
    private static Tensor avgPool3x3(Tensor x) {
        return Pooling.avgPool2d(x, 3, 1, 1);
    }

    /** 35x35 module: 1x1; 1x1-5x5; 1x1-3x3-3x3; avg pool-1x1. */
    static final class A extends Block {
        private final BasicConv2d b1x1, b5x5a, b5x5b, b3a, b3b, b3c, bPool;

        A(int in, int poolFeatures) {
            b1x1 = conv(this, "branch1x1", in, 64, 1, 1, 0);
            b5x5a = conv(this, "branch5x5_1", in, 48, 1, 1, 0);
            b5x5b = conv(this, "branch5x5_2", 48, 64, 5, 1, 2);
            b3a = conv(this, "branch3x3dbl_1", in, 64, 1, 1, 0);
            b3b = conv(this, "branch3x3dbl_2", 64, 96, 3, 1, 1);
            b3c = conv(this, "branch3x3dbl_3", 96, 96, 3, 1, 1);
            bPool = conv(this, "branch_pool", in, poolFeatures, 1, 1, 0);
        }

        @Override
        public Tensor forward(Tensor x) {
            return Shapes.concat(1, b1x1.call(x), b5x5b.call(b5x5a.call(x)), b3c.call(b3b.call(b3a.call(x))),
                    bPool.call(avgPool3x3(x)));
        }
    }

    /** Grid reduction 35 to 17: 3x3 stride 2; 1x1-3x3-3x3 stride 2; max pool stride 2. */
    static final class B extends Block {
        private final BasicConv2d b3x3, b3a, b3b, b3c;

        B(int in) {
            b3x3 = conv(this, "branch3x3", in, 384, 3, 2, 0);
            b3a = conv(this, "branch3x3dbl_1", in, 64, 1, 1, 0);
            b3b = conv(this, "branch3x3dbl_2", 64, 96, 3, 1, 1);
            b3c = conv(this, "branch3x3dbl_3", 96, 96, 3, 2, 0);
        }

        @Override
        public Tensor forward(Tensor x) {
            return Shapes.concat(1, b3x3.call(x), b3c.call(b3b.call(b3a.call(x))), Pooling.maxPool2d(x, 3, 2, 0));
        }
    }

    /** 17x17 module with factorised 7x7 convs: 1x1; 1x1-1x7-7x1; 1x1-7x1-1x7-7x1-1x7; avg pool-1x1. */
    static final class C extends Block {
        private final BasicConv2d b1x1, b7a, b7b, b7c, bd1, bd2, bd3, bd4, bd5, bPool;

        C(int in, int c7) {
            b1x1 = conv(this, "branch1x1", in, 192, 1, 1, 0);
            b7a = conv(this, "branch7x7_1", in, c7, 1, 1, 0);
            b7b = line(this, "branch7x7_2", c7, c7, 7, true);
            b7c = line(this, "branch7x7_3", c7, 192, 7, false);
            bd1 = conv(this, "branch7x7dbl_1", in, c7, 1, 1, 0);
            bd2 = line(this, "branch7x7dbl_2", c7, c7, 7, false);
            bd3 = line(this, "branch7x7dbl_3", c7, c7, 7, true);
            bd4 = line(this, "branch7x7dbl_4", c7, c7, 7, false);
            bd5 = line(this, "branch7x7dbl_5", c7, 192, 7, true);
            bPool = conv(this, "branch_pool", in, 192, 1, 1, 0);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor dbl = bd5.call(bd4.call(bd3.call(bd2.call(bd1.call(x)))));
            return Shapes.concat(1, b1x1.call(x), b7c.call(b7b.call(b7a.call(x))), dbl, bPool.call(avgPool3x3(x)));
        }
    }

    /** Grid reduction 17 to 8: 1x1-3x3 stride 2; 1x1-1x7-7x1-3x3 stride 2; max pool stride 2. */
    static final class D extends Block {
        private final BasicConv2d b3a, b3b, b7a, b7b, b7c, b7d;

        D(int in) {
            b3a = conv(this, "branch3x3_1", in, 192, 1, 1, 0);
            b3b = conv(this, "branch3x3_2", 192, 320, 3, 2, 0);
            b7a = conv(this, "branch7x7x3_1", in, 192, 1, 1, 0);
            b7b = line(this, "branch7x7x3_2", 192, 192, 7, true);
            b7c = line(this, "branch7x7x3_3", 192, 192, 7, false);
            b7d = conv(this, "branch7x7x3_4", 192, 192, 3, 2, 0);
        }

        @Override
        public Tensor forward(Tensor x) {
            return Shapes.concat(1, b3b.call(b3a.call(x)), b7d.call(b7c.call(b7b.call(b7a.call(x)))),
                    Pooling.maxPool2d(x, 3, 2, 0));
        }
    }

    /** 8x8 module with expanded filter banks: 1x1; 1x1-(1x3 | 3x1); 1x1-3x3-(1x3 | 3x1); avg pool-1x1. */
    static final class E extends Block {
        private final BasicConv2d b1x1, b3a, b3a2, b3b2, bd1, bd2, bd3a, bd3b, bPool;

        E(int in) {
            b1x1 = conv(this, "branch1x1", in, 320, 1, 1, 0);
            b3a = conv(this, "branch3x3_1", in, 384, 1, 1, 0);
            b3a2 = line(this, "branch3x3_2a", 384, 384, 3, true);
            b3b2 = line(this, "branch3x3_2b", 384, 384, 3, false);
            bd1 = conv(this, "branch3x3dbl_1", in, 448, 1, 1, 0);
            bd2 = conv(this, "branch3x3dbl_2", 448, 384, 3, 1, 1);
            bd3a = line(this, "branch3x3dbl_3a", 384, 384, 3, true);
            bd3b = line(this, "branch3x3dbl_3b", 384, 384, 3, false);
            bPool = conv(this, "branch_pool", in, 192, 1, 1, 0);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor t = b3a.call(x);
            Tensor branch3x3 = Shapes.concat(1, b3a2.call(t), b3b2.call(t));
            Tensor d = bd2.call(bd1.call(x));
            Tensor branch3x3dbl = Shapes.concat(1, bd3a.call(d), bd3b.call(d));
            return Shapes.concat(1, b1x1.call(x), branch3x3, branch3x3dbl, bPool.call(avgPool3x3(x)));
        }
    }

    /** Auxiliary classifier on the 17x17 grid: 5x5/3 average pool, 1x1 conv, 5x5 conv, global pool, fc. */
    static final class Aux extends Block {
        private final BasicConv2d conv0, conv1;
        private final Linear fc;

        Aux(int in, int numClasses) {
            conv0 = conv(this, "conv0", in, 128, 1, 1, 0);
            conv1 = conv(this, "conv1", 128, 768, 5, 1, 0);
            fc = registerChild("fc", new Linear(768, numClasses));
        }

        Linear fc() {
            return fc;
        }

        @Override
        public Tensor forward(Tensor x) {
            x = conv1.call(conv0.call(Pooling.avgPool2d(x, 5, 3, 0)));
            return fc.call(Pooling.adaptiveAvgPool2d(x, 1, 1).flatten(1));
        }
    }
}
