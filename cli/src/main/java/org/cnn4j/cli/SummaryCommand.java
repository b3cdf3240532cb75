package org.cnn4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelSummary;
import org.cnn4j.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cnn summary}: per-layer output shapes, parameters and multiply-accumulates (conv and linear layers),
 * from a forward pass on the shape-only backend (real layer code, no arithmetic), so even VGG-19 is instant.
 */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Per-layer output shape, parameters and MACs (conv + linear) of a zoo model.")
public final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model name (see `cnn models`).")
    String model;

    @Option(names = "--num-classes", description = "Number of output classes (default: the model's).")
    Integer numClasses;

    @Option(names = "--input", description = "Input CxHxW or NxCxHxW (default: the model's, batch 1).")
    String input;

    @Option(names = "--json", description = "Print one JSON object: model, input, params, macs, layers.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws JsonProcessingException {
        ModelOptions opts = ModelCliSupport.options(spec, model, numClasses);
        Shape shape = ModelCliSupport.inputShape(spec, model, input);
        ModelSummary s = ModelSummary.of(model, opts, shape);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(toJson(s)));
        } else {
            printTable(out, s);
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> toJson(ModelSummary s) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", s.model());
        root.put("input", ModelCliSupport.dims(s.input()));
        root.put("params", s.params());
        root.put("macs", s.macs());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (ModelSummary.Layer l : s.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.name());
            m.put("type", l.type());
            m.put("output", ModelCliSupport.dims(l.output()));
            m.put("params", l.params());
            m.put("macs", l.macs());
            layers.add(m);
        }
        root.put("layers", layers);
        return root;
    }

    private static void printTable(PrintWriter out, ModelSummary s) {
        String row = "%-28s %-18s %-20s %,13d %,16d%n";
        out.printf("%-28s %-18s %-20s %13s %16s%n", "layer", "type", "output", "params", "MACs");
        for (ModelSummary.Layer l : s.layers()) {
            out.printf(row, l.name(), l.type(), l.output().toString(), l.params(), l.macs());
        }
        out.printf("%s input %s: %,d parameters, %,d MACs (%.3f G)%n", s.model(), s.input(), s.params(), s.macs(),
                s.macs() / 1e9);
    }
}
