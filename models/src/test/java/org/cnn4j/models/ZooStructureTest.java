package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo model beyond AlexNet/VGG/ResNet (whose checks are in {@link ModelStructureTest}), built on the
 * {@link ShapeOnlyBackend}: parameter count, ordered state_dict keys with shapes, and conv+linear MACs at the
 * default input, against torchvision 0.14's default constructor (fixtures from tools/golden/make_zoo_fixtures.py).
 */
class ZooStructureTest {
    /** Families that are not torchvision's and so have no torchvision fixture. */
    private static final Set<String> OWN_FAMILIES = Set.of("CIFAR ResNet", "LeNet", "small CNNs", "1-D CNNs", "other");
    /** GoogLeNet's and Inception v3's auxiliary classifiers (training mode only). */
    private static final List<String> AUX_HEADS = List.of("aux1.", "aux2.", "AuxLogits.");

    static Stream<String> zooModels() {
        return ModelRegistry.names().stream().filter(n -> Fixtures.exists(keysFile(n)));
    }

    private static String keysFile(String name) {
        return "keys/" + name + ".txt.gz";
    }

    @Test
    void everyTorchvisionModelInTheRegistryHasItsFixture() {
        List<String> unchecked = new ArrayList<>();
        for (String name : ModelRegistry.names()) {
            boolean own = OWN_FAMILIES.contains(ModelRegistry.entry(name).family());
            if (!own && !Fixtures.exists(keysFile(name)) && !Fixtures.exists("keys/" + name + ".txt")) {
                unchecked.add(name);
            }
        }
        assertEquals(List.of(), unchecked, "torchvision models without a keys fixture");
        assertTrue(zooModels().count() >= 27, "zoo models found: " + zooModels().toList());
    }

    @ParameterizedTest
    @MethodSource("zooModels")
    void matchesTorchvision(String name) {
        List<String> fixture = Fixtures.lines(keysFile(name));
        long expectedParams = Long.parseLong(Fixtures.field(fixture, "params"));
        List<String> expectedKeys = fixture.subList(1, fixture.size());
        int[] input = ModelRegistry.entry(name).defaultInput();
        try (Backends.Use use = Backends.use(new ShapeOnlyBackend());
             Module model = ModelRegistry.create(name, ModelOptions.DEFAULTS)) {
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
                keys.add(e.getKey() + "\t" + dims(e.getValue().shape()));
            }
            assertEquals(String.join("\n", expectedKeys), String.join("\n", keys), name + " state_dict keys");
            assertEquals(expectedParams, model.parameterCount(), name + " parameter count");

            ModelSummary summary = ModelSummary.of(name, model, Shape.of(1, input[0], input[1], input[2]));
            String[] macs = torchvisionMacs(name);
            assertEquals(macs[0], input[0] + "x" + input[1] + "x" + input[2], name + " default input");
            assertEquals(Long.parseLong(macs[1]), summary.macs(), name + " MACs at " + macs[0]);
            // eval mode: the auxiliary heads do not run, so their parameters are not in any layer row
            long auxParams = model.namedParameters().entrySet().stream()
                    .filter(e -> AUX_HEADS.stream().anyMatch(e.getKey()::startsWith))
                    .mapToLong(e -> e.getValue().numel()).sum();
            assertEquals(expectedParams - auxParams,
                    summary.layers().stream().mapToLong(ModelSummary.Layer::params).sum(),
                    name + ": per-layer parameters add up to the total less the idle auxiliary heads");
            // the last layer is the classifier (SqueezeNet's is the pool after its 1x1 conv classifier)
            assertEquals(1000, summary.layers().get(summary.layers().size() - 1).output().numel());
        }
    }

    private static String dims(Shape s) {
        return Arrays.stream(s.dims()).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** {input "CxHxW", MACs} from zoo_macs.txt. */
    private static String[] torchvisionMacs(String name) {
        for (String line : Fixtures.lines("zoo_macs.txt")) {
            String[] f = line.split(" ");
            if (f[0].equals(name)) {
                return new String[] {f[1], f[2]};
            }
        }
        throw new IllegalStateException("no MACs for " + name + " in zoo_macs.txt");
    }
}
