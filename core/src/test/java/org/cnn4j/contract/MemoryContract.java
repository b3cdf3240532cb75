package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.ops.Activations;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.junit.jupiter.api.Test;

/** Deterministic memory release: scopes, keep/persist, views, double close and use after free. */
public abstract class MemoryContract extends BackendTestBase {

    @Test
    void scopeFreesTemporariesIncludingTheGraph() {
        long start = backend.liveBytes();
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = param(16, 16);
            Tensor loss = Activations.relu(x.mul(x).add(1f)).sum();
            loss.backward();
            assertTrue(backend.liveBytes() > start);
        }
        assertEquals(start, backend.liveBytes());
    }

    @Test
    void keptTensorSurvivesInnerScopeAndDiesWithOuter() {
        long start = backend.liveBytes();
        Tensor kept;
        try (MemoryScope outer = MemoryScope.open()) {
            try (MemoryScope inner = MemoryScope.open()) {
                kept = randn(8).mul(2f).keep();
                randn(100);
            }
            assertFalse(kept.isClosed());
            assertEquals(start + 8 * 4, backend.liveBytes());
            assertEquals(8, kept.toFloatArray().length);
        }
        assertTrue(kept.isClosed());
        assertEquals(start, backend.liveBytes());
    }

    @Test
    void persistedTensorSurvivesAllScopes() {
        long start = backend.liveBytes();
        Tensor owned;
        try (MemoryScope outer = MemoryScope.open()) {
            try (MemoryScope inner = MemoryScope.open()) {
                owned = Tensor.full(backend, Shape.of(5), 3f).persist();
            }
        }
        assertFalse(owned.isClosed());
        assertArrayEquals(new float[] {3, 3, 3, 3, 3}, owned.toFloatArray());
        owned.close();
        assertEquals(start, backend.liveBytes());
    }

    @Test
    void viewsKeepStorageAliveUntilTheLastIsClosed() {
        long start = backend.liveBytes();
        Tensor base = tensor(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor view = base.view(Shape.of(3, 2));
        Tensor flat = view.reshape(6);
        assertEquals(start + 24, backend.liveBytes());
        base.close();
        view.close();
        assertEquals(start + 24, backend.liveBytes());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, flat.toFloatArray());
        flat.close();
        assertEquals(start, backend.liveBytes());
    }

    @Test
    void closingTwiceIsHarmless() {
        long start = backend.liveBytes();
        Tensor a = randn(4);
        Tensor v = a.view(Shape.of(2, 2));
        a.close();
        a.close();
        assertEquals(start + 16, backend.liveBytes(), "a second close must not release the view's storage");
        v.close();
        v.close();
        assertEquals(start, backend.liveBytes());
    }

    @Test
    void usingAFreedTensorThrowsAClearError() {
        Tensor a = randn(2, 2);
        Tensor b = randn(2, 2);
        a.close();
        var read = assertThrows(IllegalStateException.class, a::toFloatArray);
        assertTrue(read.getMessage().contains("[2, 2]") && read.getMessage().contains("freed"), read.getMessage());
        var op = assertThrows(IllegalStateException.class, () -> b.add(a));
        assertTrue(op.getMessage().contains("add") && op.getMessage().contains("freed"), op.getMessage());
        assertTrue(a.toString().contains("freed"));
    }
}
