package org.cnn4j.cpu;

import org.cnn4j.backend.Activation;

/** Pointwise activations, forward and backward: each {@link Activation} entry's own loops, over parallel chunks. */
final class CpuActivation {
    private CpuActivation() {
    }

    static void forward(Activation act, float alpha, float[] x, float[] y) {
        CpuThreads.parallelFor(x.length, act.cost(), (from, to) -> act.forward(x, y, from, to, alpha));
    }

    /** {@code dx = dy * f'(x)}; sigmoid and tanh use the saved output {@code y}. */
    static void backward(Activation act, float alpha, float[] x, float[] y, float[] dy, float[] dx) {
        if (VectorSupport.ENABLED && VectorActivation.hasBackward(act)) {
            CpuThreads.parallelFor(x.length, act.cost(), (from, to) -> VectorActivation.reluBackward(x, dy, dx, from, to,
                    alpha));
            return;
        }
        CpuThreads.parallelFor(x.length, act.cost(), (from, to) -> act.backward(x, y, dy, dx, from, to, alpha));
    }
}
