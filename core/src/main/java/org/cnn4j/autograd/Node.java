package org.cnn4j.autograd;

import java.util.Map;

import org.cnn4j.tensor.Tensor;

/**
 * One recorded operation in the autograd graph: its inputs, how to turn the gradient of its output into
 * gradients of its inputs, and the intermediate tensors it owns for that (freed when the graph is freed).
 */
public final class Node {

    /** Maps the output gradient to one gradient per input (null for inputs that need none). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    private final String op;
    private final Map<String, Object> attributes;
    private final Tensor[] inputs;
    private final Tensor[] owned;
    private Backward backward;

    Node(String op, Map<String, Object> attributes, Tensor[] inputs, Backward backward, Tensor[] owned) {
        this.op = op;
        this.attributes = attributes;
        this.inputs = inputs;
        this.backward = backward;
        this.owned = owned;
    }

    public String op() {
        return op;
    }

    /**
     * The op's settings that are not tensor inputs (a scalar operand, axes, a pooling spec), by name; empty for
     * ops that have none. Read by the ONNX exporter, which must write them out; the backward pass never needs them.
     */
    public Map<String, Object> attributes() {
        return attributes;
    }

    public Tensor[] inputs() {
        return inputs;
    }

    boolean isReleased() {
        return backward == null;
    }

    Tensor[] apply(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("backward through '" + op + "': the graph has already been freed by an"
                    + " earlier backward(); call backward(true) (retain graph) the first time to backpropagate twice");
        }
        return backward.apply(gradOutput);
    }

    /** Frees what the node saved for its backward pass. */
    void release() {
        backward = null;
        for (Tensor t : owned) {
            t.close();
        }
    }
}
