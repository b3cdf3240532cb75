package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.api.Test;

/** Per-module forward hooks and {@link Tensor#retainGrad()}, the API the explainability methods stand on. */
public abstract class HookContract extends BackendTestBase {

    @Test
    void retainGradKeepsTheFullGradientOfAnIntermediate() {
        Tensor x = tensor(new float[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor h = x.mul(2f).retainGrad();
        // h feeds two consumers: its gradient is the sum of both, 3h^2 + 1 per element
        Tensor loss = Arithmetic.mul(Arithmetic.mul(h, h), h).sum().add(h.sum());
        loss.backward();
        assertArrayEquals(new float[] {13, 49, 109}, h.grad().toFloatArray(), 1e-4f);
        assertArrayEquals(new float[] {26, 98, 218}, x.grad().toFloatArray(), 1e-4f);
    }

    @Test
    void retainGradOnTheRootAndNotOnOthers() {
        Tensor x = tensor(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y = x.mul(3f).retainGrad();
        Tensor z = y.add(1f);
        y.backward(tensor(new float[] {0.5f, 2}, 2));
        assertArrayEquals(new float[] {0.5f, 2}, y.grad().toFloatArray());
        assertNull(z.grad());
        Tensor c = tensor(new float[] {1}, 1);
        var e = assertThrows(IllegalStateException.class, c::retainGrad);
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void moduleHookSeesOnlyItsModuleUntilClosed() {
        Linear first = new Linear(3, 4);
        Sequential net = new Sequential(first, new ReLU(), new Linear(4, 2));
        try (net) {
            List<Tensor> outputs = new ArrayList<>();
            Module.HookHandle handle = first.registerForwardHook((m, in, out) -> {
                assertSame(first, m);
                outputs.add(out.retainGrad());
            });
            Tensor x = randn(5, 3);
            net.call(x).sum().backward();
            assertEquals(1, outputs.size());
            Tensor kept = outputs.get(0);
            assertEquals(kept.shape(), kept.grad().shape());
            handle.close();
            handle.close();
            try (NoGrad ng = NoGrad.enter()) {
                net.call(x);
            }
            assertEquals(1, outputs.size(), "a closed hook is not called");
        }
    }
}
