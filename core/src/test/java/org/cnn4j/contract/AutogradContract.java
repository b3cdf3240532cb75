package org.cnn4j.contract;

import static org.cnn4j.contract.NumericAsserts.assertClose;
import static org.cnn4j.contract.NumericAsserts.awayFromZero;
import static org.cnn4j.contract.NumericAsserts.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.ops.Activations;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** The autograd engine: accumulation, shared inputs, NoGrad, graph freeing and detach. */
public abstract class AutogradContract extends BackendTestBase {

    private static float[] times(float[] v, float s) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return out;
    }

    /** A leaf holding host-made values: expected gradients come from these, not from a read-back. */
    private Tensor leaf(float[] values) {
        return tensor(values.clone(), values.length).requiresGrad(true);
    }

    @Test
    void gradientsAccumulateOverBackwardCallsUntilZeroGrad() {
        float[] xv = gaussian(random, 4);
        Tensor x = leaf(xv);
        x.mul(x).sum().mul(0.5f).backward();
        assertArrayEquals(xv, x.grad().toFloatArray());
        x.mul(x).sum().mul(0.5f).backward();
        assertArrayEquals(times(xv, 2f), x.grad().toFloatArray());
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(3f).sum().backward();
        assertArrayEquals(new float[] {3, 3, 3, 3}, x.grad().toFloatArray());
    }

    @Test
    void tensorUsedTwiceInOneGraph() {
        float[] xv = gaussian(random, 5);
        Tensor x = leaf(xv);
        x.mul(x).sum().backward();
        assertArrayEquals(times(xv, 2f), x.grad().toFloatArray());
        x.zeroGrad();
        x.add(x).sum().backward();
        assertArrayEquals(new float[] {2, 2, 2, 2, 2}, x.grad().toFloatArray());
        x.zeroGrad();
        // diamond: y used by two branches, gradients meet at y's node
        Tensor y = x.mul(2f);
        y.mul(y).add(Activations.sigmoid(y)).sum().backward();
        float[] g = x.grad().toFloatArray();
        double[] expected = new double[5];
        for (int i = 0; i < 5; i++) {
            double yi = 2.0 * xv[i];
            double s = 1 / (1 + Math.exp(-yi));
            expected[i] = 2 * (2 * yi + s * (1 - s));
        }
        assertClose("diamond", expected, g, 1e-6, 1e-5);
    }

    @Test
    void noGradRecordsNothing() {
        Tensor x = param(3);
        Tensor y;
        try (NoGrad ng = NoGrad.enter()) {
            y = x.mul(x).sum();
        }
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
        assertTrue(x.mul(x).requiresGrad(), "grad mode is back on after the NoGrad scope");
    }

    @Test
    void nonScalarBackwardNeedsAnExplicitGradient() {
        Tensor x = param(3);
        Tensor y = x.mul(2f);
        var e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("backward") && e.getMessage().contains("[3]")
                && e.getMessage().contains("one element"), e.getMessage());
        y.backward(tensor(new float[] {1, 10, 100}, 3));
        assertArrayEquals(new float[] {2, 20, 200}, x.grad().toFloatArray());
    }

    @Test
    void secondBackwardThroughFreedGraphNamesTheOp() {
        Tensor x = param(3);
        Tensor loss = Activations.tanh(x).sum();
        loss.backward();
        var e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("graph has already been freed") && e.getMessage().contains("sum"),
                e.getMessage());
        Tensor inner = Activations.tanh(x);
        inner.sum().backward();
        var e2 = assertThrows(IllegalStateException.class, () -> inner.mul(1f).sum().backward());
        assertTrue(e2.getMessage().contains("'tanh'"), e2.getMessage());
    }

    @Test
    void retainGraphAllowsASecondPass() {
        float[] xv = gaussian(random, 3);
        Tensor x = leaf(xv);
        Tensor loss = x.mul(x).sum();
        loss.backward(true);
        loss.backward();
        assertArrayEquals(times(xv, 4f), x.grad().toFloatArray());
    }

    @Test
    void requiresGradPropagatesAndDetachCutsTheGraph() {
        float[] xv = gaussian(random, 3);
        Tensor x = leaf(xv);
        Tensor c = randn(3);
        assertTrue(x.add(c).requiresGrad());
        assertTrue(c.add(x).mul(2f).requiresGrad());
        assertFalse(c.mul(c).requiresGrad());
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertNull(d.gradFn());
        assertTrue(d.isViewOf(x));
        assertFalse(d.mul(d).requiresGrad());
        Tensor loss = x.mul(d).sum(); // d is a constant here: gradient is d, not 2x
        loss.backward();
        assertArrayEquals(xv, x.grad().toFloatArray());
        var e = assertThrows(IllegalStateException.class, () -> x.mul(2f).requiresGrad(false));
        assertTrue(e.getMessage().contains("non-leaf"), e.getMessage());
    }

    /**
     * The checker itself must be able to fail: d/dx of x * detach(x) is x, while finite differences see 2x; NaN;
     * and a gradient that is zero everywhere.
     */
    @Test
    void gradCheckRejectsAWrongGradientAndNaN() {
        Tensor x = awayFromZero(backend, random, 6);
        AssertionError wrong = assertThrows(AssertionError.class,
                () -> GradCheck.check("x * detach(x)", in -> in[0].mul(in[0].detach()), x));
        assertTrue(wrong.getMessage().contains("differ from finite differences"), wrong.getMessage());
        Tensor p = param(4);
        p.mul(5f).sum().backward(); // a stale gradient must not leak into the checked one
        GradCheck.check("x * x after a stale gradient", in -> in[0].mul(in[0]), p);
        AssertionError nan = assertThrows(AssertionError.class,
                () -> GradCheck.check("NaN", in -> in[0].mul(Float.NaN), param(3)));
        assertTrue(nan.getMessage().contains("3 gradient elements"), nan.getMessage());
        // an output that ignores its input has a zero gradient everywhere: what a device that computes nothing
        // gives for every function, so it must not pass
        AssertionError flat = assertThrows(AssertionError.class,
                () -> GradCheck.check("x * 0", in -> in[0].mul(0f), param(3)));
        assertTrue(flat.getMessage().contains("does not depend on this input"), flat.getMessage());
    }

    /**
     * The gradient-ready hook reports each leaf once, after its last use: at that moment its gradient is the final
     * one (a is used twice, so a report after its first use would see half of it), and c, which the loss does not
     * reach, is not reported.
     */
    @Test
    void gradientReadyReportsEachLeafOnceWithItsFinalGradient() {
        float[] av = {0.5f, -1.25f, 2f}; // known on the host, so a device that computes nothing fails below
        float[] bv = {1.5f, 0.75f, -3f};
        Tensor a = tensor(av, 3).requiresGrad(true);
        Tensor b = tensor(bv, 3).requiresGrad(true);
        Tensor c = param(3);
        java.util.Map<Tensor, float[]> atReady = new java.util.IdentityHashMap<>();
        java.util.Map<Tensor, Integer> reports = new java.util.IdentityHashMap<>();
        try (org.cnn4j.autograd.Autograd.Registration r = org.cnn4j.autograd.Autograd.onGradientReady(leaf -> {
            reports.merge(leaf, 1, Integer::sum);
            atReady.put(leaf, leaf.grad().toFloatArray());
        })) {
            a.add(b).mul(a).sum().backward();
        }
        org.junit.jupiter.api.Assertions.assertEquals(2, reports.size());
        org.junit.jupiter.api.Assertions.assertEquals(1, reports.get(a));
        org.junit.jupiter.api.Assertions.assertEquals(1, reports.get(b));
        assertFalse(reports.containsKey(c));
        assertArrayEquals(a.grad().toFloatArray(), atReady.get(a));
        assertArrayEquals(b.grad().toFloatArray(), atReady.get(b));
        float[] want = new float[3];
        for (int i = 0; i < 3; i++) {
            want[i] = 2 * av[i] + bv[i];
        }
        assertClose("d(a + b) * a / da", want, a.grad().toFloatArray(), 1e-6, 1e-6);
        assertClose("d(a + b) * a / db", av, b.grad().toFloatArray(), 1e-6, 1e-6);
        a.zeroGrad();
        b.zeroGrad();
        a.add(b).sum().backward(); // after the registration closed: nothing reported
        org.junit.jupiter.api.Assertions.assertEquals(1, reports.get(a));
        a.zeroGrad();
        b.zeroGrad();
    }
}
