package org.cnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of every backend-dependent test (the contract suite): a subclass in each backend module supplies the
 * backend. Each test runs inside a {@link MemoryScope} with that backend current, and must leave the backend's
 * live bytes where they were.
 */
public abstract class BackendTestBase {
    protected Backend backend;
    protected Random random;
    private long liveBefore;
    private MemoryScope scope;
    private Backends.Use use;

    /** The backend under test. */
    protected abstract Backend createBackend();

    @BeforeEach
    void openScope() {
        backend = createBackend();
        random = new Random(42);
        liveBefore = backend.liveBytes();
        use = Backends.use(backend);
        scope = MemoryScope.open();
    }

    @AfterEach
    void checkNoLeaks() {
        scope.close();
        use.close();
        assertEquals(liveBefore, backend.liveBytes(), "live bytes after the test (a tensor was not freed)");
    }

    protected Tensor randn(int... dims) {
        return Tensor.randn(backend, Shape.of(dims), random);
    }

    /** A leaf with requiresGrad, standard-normal values. */
    protected Tensor param(int... dims) {
        return randn(dims).requiresGrad(true);
    }

    protected Tensor tensor(float[] values, int... dims) {
        return Tensor.of(backend, values, Shape.of(dims));
    }

    /**
     * Distinct values 0.05 apart in shuffled order: a finite-difference step of 0.01 cannot change which
     * element is a window's maximum, so max pooling is differentiable at these points.
     */
    protected Tensor separated(int... dims) {
        int n = Math.toIntExact(Shape.of(dims).numel());
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2) * 0.05f;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return tensor(v, dims).requiresGrad(true);
    }
}
