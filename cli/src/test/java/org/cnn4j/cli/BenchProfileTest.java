package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Module;
import org.junit.jupiter.api.Test;

/** {@code cnn bench --profile}: the tables account for the step's calls, by op and by the layer that made them. */
class BenchProfileTest {
    private static JsonNode profile(String model, String mode) throws Exception {
        CliRun r = CliRun.run("bench", "--model", model, "--mode", mode, "--batch-size", "2", "--runs", "2",
                "--warmup", "0", "--backend", "cpu", "--profile", "--json");
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void trainingStepIsChargedToOpsAndToTheLayersThatOwnThem() throws Exception {
        JsonNode json = profile("lenet5", "train");
        List<String> convLayers = new ArrayList<>();
        try (Module m = ModelRegistry.create("lenet5", ModelOptions.DEFAULTS)) {
            m.namedModules().forEach((name, module) -> {
                if (module instanceof Conv2d) {
                    convLayers.add(name);
                }
            });
        }
        double opTotal = 0;
        int forwardConvCalls = -1, filterGradCalls = -1;
        for (JsonNode op : json.get("profile_ops")) {
            opTotal += op.get("ms").asDouble();
            String key = op.get("phase").asText() + "/" + op.get("op").asText();
            if (key.equals("forward/conv2dForward")) {
                forwardConvCalls = op.get("calls").asInt();
                assertEquals("conv", op.get("category").asText());
            } else if (key.equals("backward/conv2dBackwardFilter")) {
                filterGradCalls = op.get("calls").asInt();
            }
        }
        assertEquals(convLayers.size(), forwardConvCalls, "one forward convolution per Conv2d layer and step");
        assertEquals(convLayers.size(), filterGradCalls, "one filter gradient per Conv2d layer and step");
        assertTrue(json.get("profile_categories").has("optimizer"), json.toString());

        double layerTotal = 0;
        Set<String> convSeen = new java.util.HashSet<>();
        for (JsonNode layer : json.get("profile_layers")) {
            String name = layer.get("layer").asText();
            layerTotal += layer.get("total").asDouble();
            assertFalse(name.contains("conv2d"), "every convolution call belongs to a layer, got row " + name);
            if (convLayers.contains(name)) {
                convSeen.add(name);
                assertEquals("Conv2d", layer.get("type").asText());
                assertTrue(layer.get("backward").asDouble() > 0, name + " has no backward time: " + layer);
            }
        }
        assertEquals(Set.copyOf(convLayers), convSeen);
        // every call is in one op row and one layer row (each rounded to 1 microsecond)
        assertEquals(opTotal, layerTotal, 1e-3 * (json.get("profile_ops").size() + json.get("profile_layers").size()));
        assertEquals(opTotal, json.get("profile_total_ms").asDouble(), 1e-3 * json.get("profile_ops").size());
    }

    @Test
    void inferenceHasOnlyAForwardPhase() throws Exception {
        JsonNode json = profile("lenet5", "infer");
        for (JsonNode op : json.get("profile_ops")) {
            assertEquals("forward", op.get("phase").asText(), op.toString());
        }
    }

    @Test
    void textTablesNameCategoriesOpsAndLayers() {
        CliRun r = CliRun.run("bench", "--model", "lenet5", "--mode", "train", "--batch-size", "2", "--runs", "1",
                "--warmup", "0", "--backend", "cpu", "--profile", "--profile-rows", "40");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("category") && r.out().contains("conv2dForward") && r.out().contains("layer"),
                r.out());
    }

    @Test
    void sequenceModelsBenchAtTheirLength() {
        CliRun text = CliRun.run("bench", "--model", "textcnn", "--mode", "train", "--batch-size", "2", "--runs",
                "1", "--warmup", "0", "--backend", "cpu");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("textcnn train b2 L64"), text.out());
        CliRun audio = CliRun.run("bench", "--model", "m5", "--mode", "infer", "--batch-size", "2", "--size", "4000",
                "--runs", "1", "--warmup", "0", "--backend", "cpu");
        assertEquals(0, audio.code(), audio.err());
        assertTrue(audio.out().contains("m5 infer b2 L4000"), audio.out());
    }
}
