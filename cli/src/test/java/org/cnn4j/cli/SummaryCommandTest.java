package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SummaryCommandTest {

    private static JsonNode json(String... args) throws Exception {
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new SummaryCommand(), args);
        assertEquals(0, r.exitCode(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    /** torchvision's documented GFLOPS (conv + linear multiply-accumulates at 224x224). */
    @ParameterizedTest
    @CsvSource({"resnet50, 4.089, 25557032", "vgg16, 15.470, 138357544", "alexnet, 0.714, 61100840"})
    void macsMatchTorchvisionsGflops(String model, String gflops, long params) throws Exception {
        JsonNode s = json("--model", model, "--json");
        assertEquals(model, s.get("model").asText());
        assertEquals(params, s.get("params").asLong());
        assertEquals(gflops, String.format(java.util.Locale.ROOT, "%.3f", s.get("macs").asLong() / 1e9));
        long layerMacs = 0;
        for (JsonNode l : s.get("layers")) {
            layerMacs += l.get("macs").asLong();
        }
        assertEquals(s.get("macs").asLong(), layerMacs);
        JsonNode last = s.get("layers").get(s.get("layers").size() - 1);
        assertEquals("[1,1000]", last.get("output").toString());
    }

    @Test
    void resnet50LayerShapesAndHead() throws Exception {
        JsonNode s = json("--model", "resnet50", "--num-classes", "7", "--input", "3x160x160", "--json");
        // every feature map shrinks by 5/7 per side (112->80 ... 7->5), so conv MACs scale by 25/49 exactly
        long convMacs224 = 4_089_184_256L - 2048L * 1000;
        assertEquals(convMacs224 / 49 * 25 + 2048L * 7, s.get("macs").asLong());
        boolean sawDownsample = false;
        for (JsonNode l : s.get("layers")) {
            if (l.get("name").asText().equals("layer2.0.downsample.0")) {
                sawDownsample = true;
                assertEquals("[1,512,20,20]", l.get("output").toString());
                assertEquals(256 * 512, l.get("params").asLong());
            }
        }
        assertTrue(sawDownsample);
        assertEquals("[1,7]", s.get("layers").get(s.get("layers").size() - 1).get("output").toString());
    }

    @Test
    void textTableHasTotals() {
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new SummaryCommand(), "--model", "lenet5");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("features.0"), r.out());
        assertTrue(r.out().contains("61,706 parameters"), r.out());
        assertTrue(r.out().contains("416,520 MACs"), r.out());
    }

    @Test
    void usageErrorsExitTwo() {
        ModelCommandsTestSupport.Result bad = ModelCommandsTestSupport.run(new SummaryCommand(),
                "--model", "resnet18", "--input", "3x224");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--input expects CxHxW"), bad.err());
        ModelCommandsTestSupport.Result unknown = ModelCommandsTestSupport.run(new SummaryCommand(),
                "--model", "resnet19");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("known models: alexnet"), unknown.err());
    }

    @Test
    void inputTooSmallFailsWithOneLine() {
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new SummaryCommand(),
                "--model", "alexnet", "--input", "3x32x32");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("cnn summary: "), r.err());
    }
}
