package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The autograd engine's defences against ops whose backward misbehaves, with ops written here: a gradient of the
 * wrong shape is reported naming the op, and one new tensor returned as the gradient of two inputs is copied so
 * that each input owns its own; a gradient computed for an input that needs none is freed at once; backward from a
 * leaf itself gives it a gradient of one.
 */
class AutogradEdgeCasesTest {
    private final CpuBackend cpu = new CpuBackend();

    private Tensor leaf(float... v) {
        return Tensor.of(cpu, v, Shape.of(v.length)).requiresGrad(true);
    }

    @Test
    void aGradientOfTheWrongShapeNamesTheOp() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor a = leaf(1f, 2f);
            Tensor out = Autograd.record(Tensor.of(cpu, new float[] {3f}, Shape.of(1)), "broken_op",
                    new Tensor[] {a}, g -> new Tensor[] {Tensor.full(cpu, Shape.of(3), 1f)});
            IllegalStateException e = assertThrows(IllegalStateException.class, out::backward);
            assertTrue(e.getMessage().contains("broken_op") && e.getMessage().contains("[3]"), e.getMessage());
            a.zeroGrad();
        }
    }

    @Test
    void oneGradientTensorForTwoInputsIsCopied() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor a = leaf(1f, 2f);
            Tensor b = leaf(3f, 4f);
            Tensor out = Autograd.record(Tensor.of(cpu, new float[] {0f, 0f}, Shape.of(2)), "shared_grad",
                    new Tensor[] {a, b}, g -> {
                        Tensor both = Tensor.full(cpu, Shape.of(2), 5f);
                        return new Tensor[] {both, both};
                    });
            out.sum().backward();
            assertNotSame(a.grad(), b.grad());
            a.zeroGrad(); // frees a's gradient; b's must survive
            assertArrayEquals(new float[] {5f, 5f}, b.grad().toFloatArray());
            b.zeroGrad();
        }
    }

    @Test
    void oneGradientTensorForThreeNonLeafInputsIsCopied() {
        // non-leaf inputs pass their gradient on through their own nodes (no accumulation into .grad that would hide
        // two inputs sharing one tensor), and three of them show a copy made for the wrong one of a pair
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor a = leaf(1f, 2f);
            Tensor[] inputs = {a.mul(1f), a.mul(2f), a.mul(3f)};
            Tensor out = Autograd.record(Tensor.of(cpu, new float[] {0f, 0f}, Shape.of(2)), "shared_grad", inputs,
                    g -> {
                        Tensor all = Tensor.full(cpu, Shape.of(2), 5f);
                        return new Tensor[] {all, all, all};
                    });
            out.sum().backward();
            assertArrayEquals(new float[] {30f, 30f}, a.grad().toFloatArray()); // 5 * (1 + 2 + 3)
            a.zeroGrad();
        }
    }

    @Test
    void aGradientForAnInputThatNeedsNoneIsFreedAtOnce() {
        // outside any MemoryScope, so a gradient left behind stays live and shows in liveBytes
        Tensor a = leaf(1f, 2f);
        Tensor constant = Tensor.of(cpu, new float[] {3f, 4f}, Shape.of(2));
        Tensor out = Autograd.record(Tensor.of(cpu, new float[] {0f}, Shape.of(1)), "two_grads",
                new Tensor[] {a, constant},
                g -> new Tensor[] {Tensor.full(cpu, Shape.of(2), 1f), Tensor.full(cpu, Shape.of(2), 7f)});
        long before = cpu.liveBytes();
        out.backward();
        assertEquals(before + 2L * Float.BYTES, cpu.liveBytes(), "only a's gradient (2 floats) is left");
        assertArrayEquals(new float[] {1f, 1f}, a.grad().toFloatArray());
        a.zeroGrad();
        out.close();
        constant.close();
        a.close();
    }

    @Test
    void backwardFromALeafGivesItAGradientOfOne() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor x = leaf(3f);
            x.backward();
            assertArrayEquals(new float[] {1f}, x.grad().toFloatArray());
            x.zeroGrad();
        }
    }
}
