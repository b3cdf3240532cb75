package org.cnn4j.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Frees every tensor created on this thread while the scope is open, except those that are
 * {@linkplain Tensor#keep() kept} (moved to the enclosing scope) or {@linkplain Tensor#persist()
 * persisted} (owned by the caller). Typical use is one scope per training step:
 *
 * <pre>{@code
 * try (var scope = MemoryScope.open()) {
 *     Tensor loss = criterion(model.forward(x), y);
 *     loss.backward();
 *     optimizer.step();
 * }
 * }</pre>
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<Deque<MemoryScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> owned = new ArrayList<>();
    private final MemoryScope parent;
    private boolean closed;

    private MemoryScope(MemoryScope parent) {
        this.parent = parent;
    }

    public static MemoryScope open() {
        Deque<MemoryScope> stack = STACK.get();
        MemoryScope scope = new MemoryScope(stack.peek());
        stack.push(scope);
        return scope;
    }

    static MemoryScope current() {
        return STACK.get().peek();
    }

    MemoryScope parent() {
        return parent;
    }

    void add(Tensor t) {
        owned.add(t);
    }

    void remove(Tensor t) {
        // scan from the end: kept tensors are usually the newest
        for (int i = owned.size() - 1; i >= 0; i--) {
            if (owned.get(i) == t) {
                owned.remove(i);
                return;
            }
        }
    }

    /** Number of tensors this scope will free on close. */
    public int size() {
        return owned.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Deque<MemoryScope> stack = STACK.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("memory scopes must be closed in the order they were opened");
        }
        stack.pop();
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).releaseFromScope();
        }
        owned.clear();
    }
}
