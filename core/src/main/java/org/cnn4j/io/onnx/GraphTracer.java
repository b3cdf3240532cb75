package org.cnn4j.io.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cnn4j.autograd.Node;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Turns one traced forward pass into ONNX nodes. The forward runs with gradients recorded, so every tensor knows
 * the op that made it and that op's inputs (the autograd graph), and a forward hook notes which layer call produced
 * which tensor. Walking back from the output, a tensor made by a layer with a {@link LayerExporter} becomes that
 * layer's nodes (its settings and parameters come from the module); any other tensor becomes the ONNX form of the
 * autograd op that made it (add, relu, reshape, concat, ...). An op with no ONNX form fails naming the op and the
 * innermost module whose forward ran it.
 */
final class GraphTracer {
    /** One module call seen by the forward hook. */
    record Call(Module module, Tensor input, Tensor output) {
    }

    private final ExportGraph graph;
    private final Tensor input;
    private final String inputName;
    private final Map<Tensor, String> stateNames = new IdentityHashMap<>();
    private final Map<Module, String> modulePaths = new IdentityHashMap<>();
    private final Map<Tensor, Call> producedByLayer = new IdentityHashMap<>();
    private final List<Call> calls;
    private final Map<Tensor, String> emitted = new IdentityHashMap<>();

    GraphTracer(ExportGraph graph, Module root, Tensor input, String inputName, List<Call> calls) {
        this.graph = graph;
        this.input = input;
        this.inputName = inputName;
        this.calls = calls;
        root.stateDict().forEach((name, t) -> stateNames.put(t, name));
        root.namedModules().forEach((path, m) -> modulePaths.putIfAbsent(m, path));
        for (Call c : calls) {
            if (c.output() != c.input() && LayerExporters.find(c.module()) != null) {
                producedByLayer.putIfAbsent(c.output(), c);
            }
        }
    }

    /** Adds the nodes computing {@code t} (and everything it depends on); returns its name in the graph. */
    String emit(Tensor t) {
        // iterative post-order: deep networks (ResNet-152) would otherwise recurse hundreds of frames per block
        Deque<Tensor> stack = new ArrayDeque<>();
        stack.push(t);
        while (!stack.isEmpty()) {
            Tensor top = stack.peek();
            if (emitted.containsKey(top)) {
                stack.pop();
                continue;
            }
            List<Tensor> pending = new ArrayList<>();
            for (Tensor dep : dependencies(top)) {
                if (!emitted.containsKey(dep)) {
                    pending.add(dep);
                }
            }
            if (pending.isEmpty()) {
                stack.pop();
                emitted.put(top, emitOne(top));
            } else {
                pending.forEach(stack::push);
            }
        }
        return emitted.get(t);
    }

    private List<Tensor> dependencies(Tensor t) {
        if (t == input || stateNames.containsKey(t)) {
            return List.of();
        }
        Call call = producedByLayer.get(t);
        if (call != null) {
            return List.of(call.input());
        }
        if (t.gradFn() == null) {
            return List.of();
        }
        List<Tensor> deps = new ArrayList<>();
        for (Tensor in : t.gradFn().inputs()) {
            if (in != null) {
                deps.add(in);
            }
        }
        return deps;
    }

    private String emitOne(Tensor t) {
        if (t == input) {
            return inputName;
        }
        String state = stateNames.get(t);
        if (state != null) {
            return graph.parameter(state, t);
        }
        Call call = producedByLayer.get(t);
        if (call != null) {
            Module m = call.module();
            return LayerExporters.find(m).export(graph, m, modulePaths.getOrDefault(m, m.typeName()),
                    emitted.get(call.input()), call.input().shape(), t.shape());
        }
        Node node = t.gradFn();
        if (node == null) {
            return constant(t);
        }
        List<String> in = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (Tensor i : node.inputs()) {
            if (i != null) {
                in.add(emitted.get(i));
                shapes.add(i.shape());
            }
        }
        String hint = enclosingPath(t);
        String out = AutogradOpExport.export(graph, new AutogradOpExport.Op(node.op(), node.attributes(), hint, in,
                shapes, t.shape(), this::attributeTensor));
        if (out == null) {
            throw unsupported(t, "op '" + node.op() + "' has no ONNX form outside a layer with an exporter");
        }
        return out;
    }

    /** A tensor an op keeps as a setting (batch norm's running statistics): a buffer's name, or a constant. */
    private String attributeTensor(Tensor t) {
        String state = stateNames.get(t);
        return state != null ? graph.parameter(state, t) : constant(t);
    }

    /** Whether the exported graph reads the model's input (false when forward computed on the host). */
    boolean usesInput() {
        return emitted.containsKey(input);
    }

    /** A tensor made outside the graph (e.g. a constant built in forward): exported by value if still alive. */
    private String constant(Tensor t) {
        if (t.isClosed()) {
            throw unsupported(t, "a temporary tensor of shape " + t.shape() + " was freed during forward, so its"
                    + " value cannot be exported; register it as a buffer, or give the layer a LayerExporter");
        }
        return graph.constant(enclosingPath(t) + ".const", t.shape(), t.toFloatArray());
    }

    private IllegalArgumentException unsupported(Tensor t, String what) {
        Module m = enclosingModule(t);
        String where = m == null ? "the model" : "module '" + modulePaths.getOrDefault(m, "?") + "' ("
                + m.typeName() + ")";
        return new IllegalArgumentException("ONNX export: " + where + ": " + what);
    }

    private String enclosingPath(Tensor t) {
        Module m = enclosingModule(t);
        return m == null ? "" : modulePaths.getOrDefault(m, "");
    }

    /**
     * The innermost module whose forward computed {@code t}: the first call (hooks run innermost first) from whose
     * output {@code t} is reachable backwards without passing that call's input.
     */
    private Module enclosingModule(Tensor t) {
        for (Call c : calls) {
            if (reaches(c.output(), t, c.input())) {
                return c.module();
            }
        }
        return null;
    }

    private static boolean reaches(Tensor from, Tensor target, Tensor stop) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Tensor> todo = new ArrayDeque<>();
        todo.push(from);
        while (!todo.isEmpty()) {
            Tensor x = todo.pop();
            if (x == target) {
                return true;
            }
            if (x == stop || !seen.add(x) || x.gradFn() == null) {
                continue;
            }
            for (Tensor i : x.gradFn().inputs()) {
                if (i != null) {
                    todo.push(i);
                }
            }
        }
        return false;
    }
}
