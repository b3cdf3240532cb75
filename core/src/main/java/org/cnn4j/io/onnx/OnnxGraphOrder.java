package org.cnn4j.io.onnx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Orders a graph's nodes so each runs after its inputs exist; missing inputs and cycles fail with one line. */
final class OnnxGraphOrder {
    private OnnxGraphOrder() {
    }

    static List<OnnxDefs.Node> topological(List<OnnxDefs.Node> nodes, Set<String> available, String source) {
        Set<String> producible = new HashSet<>(available);
        Set<String> outputs = new HashSet<>();
        for (OnnxDefs.Node n : nodes) {
            for (String o : n.outputs()) {
                if (o.isEmpty()) {
                    continue; // an optional output left out
                }
                if (!outputs.add(o) || available.contains(o)) {
                    throw new OnnxFormatException(source + ": value '" + o + "' is produced twice (node '"
                            + n.label() + "')");
                }
            }
            if (n.outputs().isEmpty() || n.outputs().get(0).isEmpty()) {
                throw new OnnxFormatException(source + ": node '" + n.label() + "' has no output");
            }
        }
        producible.addAll(outputs);
        for (OnnxDefs.Node n : nodes) {
            for (String i : n.inputs()) {
                if (!i.isEmpty() && !producible.contains(i)) {
                    throw new OnnxFormatException(source + ": node '" + n.label() + "' (" + n.opType()
                            + ") reads '" + i + "', which is no graph input, initializer or node output");
                }
            }
        }
        // Kahn's algorithm, repeated passes: graphs are stored in order, so this is normally one pass
        List<OnnxDefs.Node> ordered = new ArrayList<>(nodes.size());
        List<OnnxDefs.Node> pending = new ArrayList<>(nodes);
        Set<String> ready = new HashSet<>(available);
        while (!pending.isEmpty()) {
            List<OnnxDefs.Node> next = new ArrayList<>();
            for (OnnxDefs.Node n : pending) {
                if (n.inputs().stream().allMatch(i -> i.isEmpty() || ready.contains(i))) {
                    ordered.add(n);
                    ready.addAll(n.outputs());
                } else {
                    next.add(n);
                }
            }
            if (next.size() == pending.size()) {
                throw new OnnxFormatException(source + ": the graph has a cycle through node '" + next.get(0).label()
                        + "' (" + next.size() + " nodes wait on each other)");
            }
            pending = next;
        }
        return ordered;
    }
}
