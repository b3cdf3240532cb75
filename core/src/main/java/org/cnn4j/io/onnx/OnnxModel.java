package org.cnn4j.io.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Tensor;

/**
 * An imported ONNX graph as a {@link Module}: {@code OnnxModel.load(path, backend)}. Each forward interprets the
 * graph's nodes in order on cnn4j's ops, so it runs on any backend, records gradients, and trains like any model.
 * Float initializers become parameters under their ONNX names ({@code layer1.0.conv1.weight} keeps its dots, so a
 * model exported from cnn4j or PyTorch has its state-dict keys); BatchNormalization's running statistics become
 * buffers; integer initializers (shapes, axes) stay constants. Integer shape arithmetic (Shape, Gather, Concat,
 * Unsqueeze chains) runs on the host from the actual input, so a symbolic batch axis works.
 */
public final class OnnxModel extends OnnxParameters.Holder {
    private final List<OnnxDefs.Node> nodes;
    private final long opset;
    private final String input;
    private final String output;
    private final Map<String, OnnxParameters.Slot> floatInitializers;
    private final Map<String, Ints> intInitializers = new HashMap<>();

    private OnnxModel(OnnxDefs.Model model, List<OnnxDefs.Node> ordered, String input, Backend backend) {
        this.nodes = ordered;
        this.opset = model.opset();
        this.input = input;
        this.output = model.graph().outputs().get(0).name();
        Set<String> buffers = new HashSet<>();
        for (OnnxDefs.Node n : ordered) {
            if (n.opType().equals("BatchNormalization")) {
                buffers.addAll(n.inputs().subList(Math.min(3, n.inputs().size()), n.inputs().size()));
            }
        }
        List<OnnxDefs.TensorDef> floats = new ArrayList<>();
        for (OnnxDefs.TensorDef t : model.graph().initializers()) {
            if (t.isFloat()) {
                floats.add(t);
            } else {
                intInitializers.put(t.name(), new Ints(t.dims(), t.longs()));
            }
        }
        this.floatInitializers = OnnxParameters.register(this, floats, buffers, backend);
    }

    /** Reads, checks and builds the model; parameters are created on {@code backend}. */
    public static OnnxModel load(Path path, Backend backend) throws IOException {
        OnnxDefs.Model model = OnnxReader.read(path);
        return build(model, path.toString(), backend);
    }

    /** The declared shape of the graph's (non-initializer) input; -1 for symbolic axes. */
    public static long[] declaredInputShape(Path path) throws IOException {
        OnnxDefs.Graph g = OnnxReader.read(path).graph();
        Set<String> initNames = new HashSet<>();
        g.initializers().forEach(t -> initNames.add(t.name()));
        return g.inputs().stream().filter(v -> !initNames.contains(v.name())).findFirst()
                .map(OnnxDefs.ValueInfo::dims).orElse(new long[0]);
    }

    static OnnxModel build(OnnxDefs.Model model, String source, Backend backend) {
        OnnxDefs.Graph g = model.graph();
        if (model.opset() < Onnx.MIN_OPSET || model.opset() > Onnx.MAX_OPSET) {
            throw new OnnxFormatException(source + ": opset " + model.opset() + " is not supported; cnn4j imports"
                    + " opsets " + Onnx.MIN_OPSET + " to " + Onnx.MAX_OPSET);
        }
        Set<String> initNames = new HashSet<>();
        g.initializers().forEach(t -> initNames.add(t.name()));
        List<String> inputs = g.inputs().stream().map(OnnxDefs.ValueInfo::name)
                .filter(n -> !initNames.contains(n)).toList();
        if (inputs.size() != 1 || g.outputs().size() != 1) {
            throw new OnnxFormatException(source + ": cnn4j imports graphs with one input and one output; this one"
                    + " has inputs " + inputs + " and outputs " + g.outputs().stream()
                    .map(OnnxDefs.ValueInfo::name).toList());
        }
        List<String> unsupported = new ArrayList<>();
        for (OnnxDefs.Node n : g.nodes()) {
            boolean standard = n.domain().isEmpty() || n.domain().equals("ai.onnx");
            if (!standard || !OnnxOps.SUPPORTED.contains(n.opType())) {
                unsupported.add((standard ? "" : n.domain() + ".") + n.opType() + " (node '" + n.label() + "')");
            }
        }
        if (!unsupported.isEmpty()) {
            throw new OnnxFormatException(source + " (opset " + model.opset() + "): unsupported operators: "
                    + String.join(", ", unsupported));
        }
        Set<String> available = new HashSet<>(initNames);
        available.add(inputs.get(0));
        List<OnnxDefs.Node> ordered = OnnxGraphOrder.topological(g.nodes(), available, source);
        Set<String> produced = new HashSet<>(available);
        ordered.forEach(n -> produced.addAll(n.outputs()));
        if (!produced.contains(g.outputs().get(0).name())) {
            throw new OnnxFormatException(source + ": the graph output '" + g.outputs().get(0).name()
                    + "' is computed by no node");
        }
        return new OnnxModel(model, ordered, inputs.get(0), backend);
    }

    @Override
    public Tensor forward(Tensor x) {
        OnnxOps.Context context = new OnnxOps.Context(opset, isTraining(), x.backend());
        Map<String, Object> values = new HashMap<>(intInitializers);
        floatInitializers.forEach((name, slot) -> values.put(name, slot.get()));
        values.put(input, x);
        for (OnnxDefs.Node n : nodes) {
            List<Object> in = new ArrayList<>(n.inputs().size());
            for (String name : n.inputs()) {
                in.add(name.isEmpty() ? null : values.get(name));
            }
            Object out = OnnxOps.run(n, in, context);
            if (out instanceof Object[] outs) {
                for (int i = 0; i < outs.length; i++) {
                    values.put(n.outputs().get(i), outs[i]);
                }
            } else {
                values.put(n.outputs().get(0), out);
            }
        }
        Object y = values.get(output);
        if (!(y instanceof Tensor t)) {
            throw new OnnxFormatException("the graph output '" + output + "' is an integer tensor, not a float one");
        }
        return t;
    }

    /**
     * The state-dict prefix of the classifier head: that of the weight of the last Gemm, MatMul or Conv
     * ({@code fc.} for {@code fc.weight}); the whole name when it has no dots.
     */
    public String headPrefix() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            OnnxDefs.Node n = nodes.get(i);
            boolean layer = n.opType().equals("Gemm") || n.opType().equals("MatMul") || n.opType().equals("Conv");
            if (layer && n.inputs().size() > 1 && floatInitializers.containsKey(n.inputs().get(1))) {
                String w = n.inputs().get(1);
                return w.contains(".") ? w.substring(0, w.lastIndexOf('.') + 1) : w;
            }
        }
        throw new IllegalStateException("headPrefix: the imported graph has no Gemm, MatMul or Conv with a weight");
    }

    /** The opset the file declares. */
    public long opset() {
        return opset;
    }

    /** The graph's operators and how often each occurs, in first-use order. */
    public Map<String, Integer> operatorCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        nodes.forEach(n -> counts.merge(n.opType(), 1, Integer::sum));
        return counts;
    }

    @Override
    public String extraRepr() {
        return "opset=" + opset + ", nodes=" + nodes.size();
    }
}
