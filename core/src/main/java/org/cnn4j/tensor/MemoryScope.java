package org.cnn4j.tensor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

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

    // insertion-ordered (freed newest first) with O(1) removal: keeping or persisting each of 200k loaded tensors
    // must not scan a list per tensor. Tensor keeps Object's identity equals/hashCode.
    private final Set<Tensor> owned = new LinkedHashSet<>();
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
        owned.remove(t);
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
        Tensor[] newestLast = owned.toArray(new Tensor[0]);
        owned.clear();
        for (int i = newestLast.length - 1; i >= 0; i--) {
            newestLast[i].releaseFromScope();
        }
    }
}
