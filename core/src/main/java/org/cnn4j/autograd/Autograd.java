package org.cnn4j.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cnn4j.backend.BinaryOp;
import org.cnn4j.tensor.NoGrad;
import org.cnn4j.tensor.Tensor;

/** Reverse-mode differentiation over the graph that ops record while grad mode is on. */
public final class Autograd {
    /**
     * Told during a backward pass when a leaf's gradient is final for that pass: every recorded op that uses the
     * leaf has been processed (its gradient may still be null if none reached it). Leaves the pass does not reach
     * are not reported. Data parallelism starts averaging a parameter's gradient from here while backward goes on.
     */
    @FunctionalInterface
    public interface GradientReadyListener {
        void ready(Tensor leaf);
    }

    /** Removes a registered listener when closed (closing twice is harmless). */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private static final ThreadLocal<List<GradientReadyListener>> READY_LISTENERS =
            ThreadLocal.withInitial(java.util.concurrent.CopyOnWriteArrayList::new);

    private Autograd() {
    }

    /** Calls {@code listener} in every backward pass run on this thread, until the registration is closed. */
    public static Registration onGradientReady(GradientReadyListener listener) {
        List<GradientReadyListener> listeners = READY_LISTENERS.get();
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Whether an op with these inputs must record a node. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!NoGrad.isGradEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records {@code output = op(inputs)} when any input requires grad; otherwise closes {@code owned} at once.
     * {@code owned} are intermediates the backward pass needs (freed with the graph).
     */
    public static Tensor record(Tensor output, String op, Tensor[] inputs, Node.Backward backward, Tensor... owned) {
        if (needsGrad(inputs)) {
            output.setGradFn(new Node(op, inputs, backward, owned));
        } else {
            for (Tensor t : owned) {
                t.close();
            }
        }
        return output;
    }

    /**
     * Backpropagates from {@code root}: accumulates into {@code .grad()} of every leaf that requires grad.
     * Intermediate gradients are freed as soon as they are used; the graph's saved tensors are freed unless
     * {@code retainGraph}.
     */
    public static void backward(Tensor root, Tensor gradRoot, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: tensor of shape " + root.shape()
                    + " does not require grad and has no grad_fn (was it computed under NoGrad or from constants?)");
        }
        if (gradRoot == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward: a gradient can be created implicitly only for a tensor"
                        + " with one element, got shape " + root.shape() + "; pass the output gradient explicitly");
            }
            gradRoot = Tensor.full(root.backend(), root.shape(), 1f);
        } else {
            if (!gradRoot.shape().equals(root.shape())) {
                throw new IllegalArgumentException("backward: gradient shape " + gradRoot.shape()
                        + " does not match tensor shape " + root.shape());
            }
            gradRoot = gradRoot.copy();
        }
        List<GradientReadyListener> listeners = READY_LISTENERS.get();
        try (NoGrad ng = NoGrad.enter()) {
            if (root.gradFn() == null) {
                accumulateLeaf(root, gradRoot);
                listeners.forEach(l -> l.ready(root));
                return;
            }
            List<Node> order = topologicalOrder(root.gradFn());
            LeafUses uses = listeners.isEmpty() ? null : new LeafUses(order, listeners);
            Map<Node, Tensor> grads = new IdentityHashMap<>();
            Map<Node, List<Tensor>> retained = new IdentityHashMap<>();
            grads.put(root.gradFn(), gradRoot);
            noteRetained(retained, root);
            for (Node node : order) {
                Tensor gOut = grads.remove(node);
                if (gOut == null) {
                    if (uses != null) {
                        uses.processed(node);
                    }
                    continue;
                }
                for (Tensor t : retained.getOrDefault(node, List.of())) {
                    accumulateLeaf(t, gOut.copy());
                }
                Tensor[] gIn = node.apply(gOut);
                boolean passedOn = false;
                Tensor[] inputs = node.inputs();
                for (int i = 0; i < inputs.length; i++) {
                    Tensor g = i < gIn.length ? gIn[i] : null;
                    if (g == null) {
                        continue;
                    }
                    Tensor in = inputs[i];
                    if (in == null || !in.requiresGrad()) {
                        if (g != gOut) {
                            g.close();
                        }
                        continue;
                    }
                    if (g == gOut ? passedOn : appearsBefore(gIn, i)) {
                        g = g.copy(); // one tensor must not become the gradient of two inputs
                    }
                    checkGradShape(node, in, g);
                    if (g == gOut && in.gradFn() == null && in.grad() != null) {
                        // added into the leaf's gradient without consuming gOut, which later inputs may still get
                        in.grad().backend().binary(BinaryOp.ADD, in.grad(), g, in.grad());
                        continue;
                    }
                    passedOn |= g == gOut;
                    if (in.gradFn() == null) {
                        accumulateLeaf(in, g);
                    } else {
                        noteRetained(retained, in);
                        Tensor prev = grads.get(in.gradFn());
                        if (prev == null) {
                            grads.put(in.gradFn(), g);
                        } else {
                            Tensor sum = Tensor.empty(prev.backend(), prev.shape());
                            prev.backend().binary(BinaryOp.ADD, prev, g, sum);
                            prev.close();
                            g.close();
                            grads.put(in.gradFn(), sum);
                        }
                    }
                }
                if (!passedOn) {
                    gOut.close();
                }
                if (!retainGraph) {
                    node.release();
                }
                if (uses != null) {
                    uses.processed(node);
                }
            }
            for (Tensor leftover : grads.values()) {
                leftover.close();
            }
        }
    }

    /** Counts, for each leaf that requires grad, the ops still to process that use it; reports it at zero. */
    private static final class LeafUses {
        private final Map<Tensor, int[]> pending = new IdentityHashMap<>();
        private final List<GradientReadyListener> listeners;

        LeafUses(List<Node> order, List<GradientReadyListener> listeners) {
            this.listeners = listeners;
            for (Node node : order) {
                for (Tensor in : node.inputs()) {
                    if (isLeaf(in)) {
                        pending.computeIfAbsent(in, t -> new int[1])[0]++;
                    }
                }
            }
        }

        private static boolean isLeaf(Tensor t) {
            return t != null && t.requiresGrad() && t.gradFn() == null;
        }

        void processed(Node node) {
            for (Tensor in : node.inputs()) {
                if (isLeaf(in) && --pending.get(in)[0] == 0) {
                    for (GradientReadyListener l : listeners) {
                        l.ready(in);
                    }
                }
            }
        }
    }

    /** Remembers a non-leaf that asked to keep its gradient, under the node that produced it. */
    private static void noteRetained(Map<Node, List<Tensor>> retained, Tensor t) {
        if (t.retainsGrad()) {
            List<Tensor> list = retained.computeIfAbsent(t.gradFn(), n -> new ArrayList<>());
            if (!list.contains(t)) {
                list.add(t);
            }
        }
    }

    private static boolean appearsBefore(Tensor[] grads, int i) {
        for (int j = 0; j < i; j++) {
            if (grads[j] == grads[i]) {
                return true;
            }
        }
        return false;
    }

    private static void checkGradShape(Node node, Tensor input, Tensor grad) {
        if (!grad.shape().equals(input.shape())) {
            throw new IllegalStateException("backward of '" + node.op() + "' produced a gradient of shape "
                    + grad.shape() + " for an input of shape " + input.shape());
        }
    }

    /** Adds {@code g} into {@code leaf.grad()} (a leaf, or a non-leaf that retains its gradient); consumes g. */
    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        Tensor existing = leaf.grad();
        if (existing == null) {
            Tensor owned = g.isViewOf(leaf) ? g.copy() : g;
            owned.persist();
            leaf.setGrad(owned);
            if (owned != g) {
                g.close();
            }
        } else {
            existing.backend().binary(BinaryOp.ADD, existing, g, existing);
            g.close();
        }
    }

    /** Nodes reachable from {@code root}, each after every node that consumes its output. */
    private static List<Node> topologicalOrder(Node root) {
        List<Node> postOrder = new ArrayList<>();
        Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Node node = (Node) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = node.inputs();
            if (node.isReleased()) {
                node.apply(null); // throws the "graph already freed" error
            }
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.gradFn() != null && visited.add(in.gradFn())) {
                    stack.push(new Object[] {in.gradFn(), 0});
                }
            } else {
                stack.pop();
                postOrder.add(node);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
