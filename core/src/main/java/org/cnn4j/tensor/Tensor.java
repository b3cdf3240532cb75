package org.cnn4j.tensor;

import java.lang.ref.Cleaner;
import java.util.Random;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.autograd.Node;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.ops.Arithmetic;
import org.cnn4j.ops.Shapes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An n-dimensional float32 array on one backend, with autograd bookkeeping. Memory is released
 * deterministically: {@link #close()} it, or create it inside a {@link MemoryScope}. Reshape views share
 * storage; the storage is freed when its last tensor is closed.
 */
public final class Tensor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tensor.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final Backend backend;
    private final Shape shape;
    private final DType dtype;
    private final Storage storage;
    private final LeakGuard guard;
    private final Cleaner.Cleanable cleanable;
    private MemoryScope scope;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private boolean retainsGrad;

    /** Reports (never silently) a tensor that became unreachable without being closed, then frees it. */
    private static final class LeakGuard implements Runnable {
        private final Storage storage;
        private final String description;
        private volatile boolean released;

        LeakGuard(Storage storage, String description) {
            this.storage = storage;
            this.description = description;
        }

        @Override
        public void run() {
            if (!released) {
                released = true;
                LOG.warn("leaked tensor {}: it was never closed; close it or create it inside a MemoryScope",
                        description);
                storage.release();
            }
        }
    }

    private Tensor(Backend backend, Shape shape, DType dtype, Storage storage) {
        this.backend = backend;
        this.shape = shape;
        this.dtype = dtype;
        this.storage = storage;
        this.guard = new LeakGuard(storage, shape + " on " + backend.name());
        this.cleanable = CLEANER.register(this, guard);
        this.scope = MemoryScope.current();
        if (scope != null) {
            scope.add(this);
        }
    }

    // ---- creation ----

    /** Uninitialised contents are not exposed: backends zero-fill, so this equals {@link #zeros}. */
    public static Tensor empty(Backend backend, Shape shape) {
        if (shape.numel() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of shape " + shape + " has " + shape.numel()
                    + " elements; at most " + Integer.MAX_VALUE + " are supported");
        }
        return new Tensor(backend, shape, DType.FLOAT32, backend.allocate(DType.FLOAT32, shape.numel()));
    }

    public static Tensor zeros(Backend backend, Shape shape) {
        return empty(backend, shape);
    }

    public static Tensor zeros(int... dims) {
        return zeros(Backends.current(), Shape.of(dims));
    }

    public static Tensor full(Backend backend, Shape shape, float value) {
        Tensor t = empty(backend, shape);
        if (value != 0f) {
            backend.fill(t, value);
        }
        return t;
    }

    public static Tensor ones(int... dims) {
        return full(Backends.current(), Shape.of(dims), 1f);
    }

    public static Tensor of(Backend backend, float[] data, Shape shape) {
        if (data.length != shape.numel()) {
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape " + shape
                    + " (" + shape.numel() + " elements)");
        }
        Tensor t = empty(backend, shape);
        backend.write(t, data, 0);
        return t;
    }

    public static Tensor of(float[] data, int... dims) {
        return of(Backends.current(), data, Shape.of(dims));
    }

    public static Tensor scalar(Backend backend, float value) {
        return full(backend, Shape.scalar(), value);
    }

    /** Standard normal values from {@code random} (host-generated, so identical on every backend). */
    public static Tensor randn(Backend backend, Shape shape, Random random) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return of(backend, v, shape);
    }

    /** Uniform values in [low, high) from {@code random}. */
    public static Tensor uniform(Backend backend, Shape shape, float low, float high, Random random) {
        float[] v = new float[Math.toIntExact(shape.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + (high - low) * random.nextFloat();
        }
        return of(backend, v, shape);
    }

    // ---- properties ----

    public Backend backend() {
        return backend;
    }

    public Shape shape() {
        return shape;
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int rank() {
        return shape.rank();
    }

    public DType dtype() {
        return dtype;
    }

    public long numel() {
        return shape.numel();
    }

    /** The backend's memory; for backend implementations. Fails if the tensor has been closed. */
    public Storage storage() {
        if (guard.released) {
            throw new IllegalStateException("tensor " + shape + " has been freed (closed, or its MemoryScope ended)");
        }
        return storage;
    }

    public boolean isClosed() {
        return guard.released;
    }

    /** Whether both tensors use the same storage (one is a reshape view of the other). */
    public boolean isViewOf(Tensor other) {
        return storage == other.storage;
    }

    // ---- host access ----

    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(numel())];
        backend.read(this, out, 0);
        return out;
    }

    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item(): tensor has shape " + shape + ", expected exactly one element");
        }
        return toFloatArray()[0];
    }

    public Tensor copy() {
        Tensor out = empty(backend, shape);
        backend.copy(this, out);
        return out;
    }

    /** Overwrites this tensor's values with {@code src}'s (same shape; {@code src} may live on another backend). */
    public void copyFrom(Tensor src) {
        if (!src.shape().equals(shape)) {
            throw new IllegalArgumentException("copyFrom: source shape " + src.shape() + " differs from " + shape);
        }
        if (src.backend() == backend) {
            backend.copy(src, this);
        } else {
            backend.write(this, src.toFloatArray(), 0);
        }
    }

    /** A view that shares storage but not the graph. */
    public Tensor detach() {
        return view(shape);
    }

    /** A tensor with a new shape over the same storage (no autograd; see {@link #reshape}). */
    public Tensor view(Shape newShape) {
        if (newShape.numel() != numel()) {
            throw new IllegalArgumentException("view: cannot view shape " + shape + " as " + newShape);
        }
        storage().retain();
        return new Tensor(backend, newShape, dtype, storage);
    }

    /** Moves this tensor's data to another backend (a new tensor; this one is unchanged). */
    public Tensor to(Backend target) {
        if (target == backend) {
            return this;
        }
        return of(target, toFloatArray(), shape);
    }

    // ---- autograd ----

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as needing gradients (parameters); returns this. */
    public Tensor requiresGrad(boolean value) {
        if (!value && gradFn != null) {
            throw new IllegalStateException("requiresGrad(false) on a non-leaf tensor; use detach()");
        }
        this.requiresGrad = value;
        return this;
    }

    public Tensor grad() {
        return grad;
    }

    /**
     * Keeps this intermediate tensor's gradient in {@link #grad()} after {@code backward()}, as PyTorch's
     * {@code retain_grad()} (a leaf keeps its gradient anyway); returns this.
     */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad: tensor " + shape + " does not require grad, so no gradient"
                    + " will reach it (was it computed under NoGrad or from constants?)");
        }
        if (gradFn != null) {
            retainsGrad = true;
        }
        return this;
    }

    /** Whether {@link #retainGrad()} was called on this non-leaf tensor. */
    public boolean retainsGrad() {
        return retainsGrad;
    }

    public void setGrad(Tensor g) {
        this.grad = g;
    }

    /** Frees and clears the accumulated gradient. */
    public void zeroGrad() {
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    public Node gradFn() {
        return gradFn;
    }

    /** Called by {@link Autograd#record}; makes this tensor a non-leaf that requires grad. */
    public void setGradFn(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    public void backward() {
        Autograd.backward(this, null, false);
    }

    public void backward(boolean retainGraph) {
        Autograd.backward(this, null, retainGraph);
    }

    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient, false);
    }

    // ---- memory ----

    /** Moves this tensor out of its scope into the enclosing one (or to the caller when there is none). */
    public Tensor keep() {
        if (scope != null) {
            scope.remove(this);
            scope = scope.parent();
            if (scope != null) {
                scope.add(this);
            }
        }
        return this;
    }

    /** Takes this tensor out of every scope: the caller now owns it and must close it. */
    public Tensor persist() {
        if (scope != null) {
            scope.remove(this);
            scope = null;
        }
        return this;
    }

    void releaseFromScope() {
        scope = null;
        close();
    }

    /** Frees the memory (the storage, once no view uses it) and the gradient. Idempotent. */
    @Override
    public void close() {
        if (!guard.released) {
            guard.released = true;
            storage.release();
            cleanable.clean();
            if (scope != null) {
                scope.remove(this);
                scope = null;
            }
        }
        if (grad != null) {
            grad.close();
            grad = null;
        }
    }

    // ---- convenience (see org.cnn4j.ops for everything else) ----

    public Tensor add(Tensor other) {
        return Arithmetic.add(this, other);
    }

    public Tensor sub(Tensor other) {
        return Arithmetic.sub(this, other);
    }

    public Tensor mul(Tensor other) {
        return Arithmetic.mul(this, other);
    }

    public Tensor div(Tensor other) {
        return Arithmetic.div(this, other);
    }

    public Tensor mul(float s) {
        return Arithmetic.mul(this, s);
    }

    public Tensor add(float s) {
        return Arithmetic.add(this, s);
    }

    public Tensor sum() {
        return Arithmetic.sum(this);
    }

    public Tensor mean() {
        return Arithmetic.mean(this);
    }

    public Tensor reshape(int... dims) {
        return Shapes.reshape(this, dims);
    }

    public Tensor flatten(int startAxis) {
        return Shapes.flatten(this, startAxis);
    }

    @Override
    public String toString() {
        return "Tensor" + shape + (isClosed() ? " (freed)" : "") + (requiresGrad ? " requiresGrad" : "");
    }
}
