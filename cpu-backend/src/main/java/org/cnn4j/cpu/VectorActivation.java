package org.cnn4j.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.cnn4j.backend.Activation;

/**
 * Vector API forms of activation loops that the JIT does not vectorize by itself. Each computes the same bits as
 * the {@link Activation} entry's scalar loop, which still handles the tail. Only touched when
 * {@link VectorSupport#ENABLED}.
 */
final class VectorActivation {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorActivation() {
    }

    /** Whether {@code act}'s backward has a vector form here. */
    static boolean hasBackward(Activation act) {
        return act == Activation.RELU && I.length() == F.length();
    }

    /**
     * ReLU's {@code dx = x > 0 ? dy : 0} as a mask on dy's bits: with b the raw bits of x,
     * {@code ~(((0x7f800000 - b) | (b - 1)) >> 31)} is all ones exactly when 1 <= b <= bits(+Inf), i.e. x > 0; the
     * same formula as the scalar loop, lane by lane.
     */
    static void reluBackward(float[] x, float[] dy, float[] dx, int from, int to, float alpha) {
        int i = from;
        for (int end = from + I.loopBound(to - from); i < end; i += I.length()) {
            IntVector b = FloatVector.fromArray(F, x, i).reinterpretAsInts();
            IntVector mask = b.neg().add(0x7f800000).or(b.sub(1)).lanewise(VectorOperators.ASHR, 31).not();
            FloatVector.fromArray(F, dy, i).reinterpretAsInts().and(mask).reinterpretAsFloats().intoArray(dx, i);
        }
        Activation.RELU.backward(x, null, dy, dx, i, to, alpha);
    }
}
