package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.explain.Explain;
import org.cnn4j.explain.Heatmap;
import org.cnn4j.explain.Method;
import org.cnn4j.io.Safetensors;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cnn explain}: what a model looks at (a heat map over the input and the raw map), what a layer computes
 * (its feature maps), or what the first layer's filters look like.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explain a prediction: a heat map blended over the input (PNG) and the raw map ('map' in a"
                + " safetensors file); or draw a layer's feature maps (--feature-maps) or the first layer's filters"
                + " (--filters) as a grid.",
            "Maps: gradcam and gradcam++ at the layer's resolution (default: the last convolutional stage),"
                + " saliency, integrated-gradients and occlusion at the input's."})
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs args;

    /** Where the input comes from (not needed for --filters). */
    static final class Source {
        @Option(names = "--image", description = "A PNG or JPEG, preprocessed as ImageNet models expect (resize 256,"
                + " center crop 224, ImageNet mean/std).")
        Path image;

        @Option(names = "--input", description = "A safetensors file holding tensor 'input', already preprocessed:"
                + " [1, C, H, W] or [C, H, W].")
        Path input;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--method", description = "gradcam, gradcam++, saliency, integrated-gradients or occlusion"
            + " (default: gradcam).")
    String method;

    @Option(names = "--feature-maps", description = "Draw the feature maps of --layer instead of a heat map.")
    boolean featureMaps;

    @Option(names = "--filters", description = "Draw the first convolution's filters instead of a heat map.")
    boolean filters;

    @Option(names = "--layer", description = "Layer name as in the state dict, e.g. layer4 or features.19.")
    String layer;

    @Option(names = "--class", description = "Class to explain (default: the model's top class).")
    Integer target;

    @Option(names = "--steps", defaultValue = "32", description = "Integrated-gradients steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--patch", description = "Occlusion window side (default: an eighth of the shorter input side).")
    Integer patch;

    @Option(names = "--stride", description = "Occlusion window stride (default: half the window).")
    Integer stride;

    @Option(names = "--output", required = true, description = "PNG to write.")
    Path output;

    @Option(names = "--map", description = "Safetensors file to write the raw map to, as tensor 'map' [h, w].")
    Path map;

    @Override
    public Integer call() throws IOException {
        ModelOptions opts = args.options();
        Method m = checkOptions();
        Backend be = args.backend();
        try (Backends.Use use = Backends.use(be); Module net = args.create(opts);
             MemoryScope scope = MemoryScope.open()) {
            args.loadWeights(net, be);
            if (filters) {
                String conv = Explain.firstConvolution(net);
                Tensor w = net.namedParameters().get(conv + ".weight");
                int[] d = w.rank() == 4 ? w.shape().dims() : new int[] {w.dim(0), w.dim(1), 1, w.dim(2)};
                ExplainImages.writePng(output, ExplainImages.filterGrid(w.toFloatArray(), d[0], d[1], d[2], d[3]));
                print("wrote the " + d[0] + " filters of " + conv + " " + w.shape() + " to " + output);
                return 0;
            }
            Tensor x = input(be);
            if (featureMaps) {
                Explain.FeatureMaps fm = Explain.featureMaps(net, x, layer);
                ExplainImages.writePng(output, ExplainImages.featureGrid(fm));
                print("wrote " + fm.channels() + " feature maps of " + layer + " (" + fm.height() + "x" + fm.width()
                        + ") to " + output);
                return 0;
            }
            String usedLayer = m.usesLayer() ? (layer != null ? layer : Explain.defaultLayer(net)) : null;
            Explain.Options o = new Explain.Options(usedLayer, target == null ? -1 : target, steps,
                    patch == null ? 0 : patch, stride == null ? 0 : stride);
            Heatmap h = Explain.run(m, net, x, o);
            int[] hw = x.rank() == 4 ? new int[] {x.dim(2), x.dim(3)} : new int[] {1, x.dim(2)};
            ExplainImages.writePng(output, ExplainImages.overlay(x.toFloatArray(), x.dim(1), hw[0], hw[1], h));
            if (map != null) {
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("model", args.model);
                meta.put("method", m.cliName());
                meta.put("class", Integer.toString(h.targetClass()));
                if (usedLayer != null) {
                    meta.put("layer", usedLayer);
                }
                Safetensors.save(map, Map.of("map", Tensor.of(be, h.values(), Shape.of(h.height(), h.width()))), meta);
            }
            print(m.cliName() + " of class " + h.targetClass() + (usedLayer != null ? " at " + usedLayer : "") + ": "
                    + h.height() + "x" + h.width() + " map; wrote " + output + (map != null ? " and " + map : ""));
        }
        return 0;
    }

    /** The method, after checking that the options fit together; usage errors before anything is loaded. */
    private Method checkOptions() {
        if (filters && featureMaps) {
            throw OptionChecks.usage(spec, "--filters and --feature-maps are different pictures; choose one");
        }
        boolean heat = !filters && !featureMaps;
        if (!heat && (method != null || map != null)) {
            throw OptionChecks.usage(spec, "--method and --map belong to heat maps, not to --filters or"
                    + " --feature-maps");
        }
        if (featureMaps && layer == null) {
            throw OptionChecks.usage(spec, "--feature-maps needs --layer NAME (a layer of the model's state dict)");
        }
        if (!filters && (source == null || (source.image == null && source.input == null))) {
            throw OptionChecks.usage(spec, "give the input with --image FILE or --input IN.safetensors");
        }
        OptionChecks.atLeast(spec, "--steps", steps, 1);
        if (patch != null) {
            OptionChecks.atLeast(spec, "--patch", patch, 1);
        }
        if (stride != null) {
            OptionChecks.atLeast(spec, "--stride", stride, 1);
        }
        if (target != null) {
            OptionChecks.atLeast(spec, "--class", target, 0);
        }
        if (!heat) {
            return null;
        }
        try {
            return Method.parse(method == null ? "gradcam" : method);
        } catch (IllegalArgumentException e) {
            throw OptionChecks.usage(spec, "--method: " + e.getMessage());
        }
    }

    /** The preprocessed input [1, C, H, W]: from --input as given, from --image with ImageNet preprocessing. */
    private Tensor input(Backend be) throws IOException {
        if (source.image != null) {
            int[] d = ModelRegistry.entry(args.model).defaultInput();
            if (!Arrays.equals(d, new int[] {3, 224, 224})) {
                throw new IllegalArgumentException("--image applies ImageNet preprocessing (3x224x224); " + args.model
                        + " takes " + d[0] + "x" + d[1] + "x" + d[2] + ": pass the preprocessed tensor with --input");
            }
            return Tensor.of(be, PredictPreprocessing.imagenet(source.image), PredictPreprocessing.SHAPE);
        }
        Map<String, Tensor> in = Safetensors.load(source.input, be);
        Tensor x = in.get("input");
        if (x == null) {
            throw new IllegalArgumentException(source.input + ": no tensor named 'input'; it holds " + in.keySet());
        }
        if (x.rank() == 3) {
            x = x.view(Shape.of(1, x.dim(0), x.dim(1), x.dim(2)));
        }
        if (x.rank() != 4 || x.dim(0) != 1) {
            throw new IllegalArgumentException(source.input + ": tensor 'input' must be one image [1, C, H, W] or"
                    + " [C, H, W], got shape " + x.shape());
        }
        return x;
    }

    private void print(String line) {
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
    }
}
