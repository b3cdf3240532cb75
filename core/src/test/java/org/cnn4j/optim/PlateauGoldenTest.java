package org.cnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.ShapeOnlyBackend;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * ReduceLROnPlateau against PyTorch (fixture from tools/golden/make_train_fixtures.py): two parameter groups
 * (0.1 and 0.02), relative and absolute thresholds, cooldown, a minimum rate and NaN metrics. Only learning rates
 * are compared, host arithmetic, so the parameters live on the shape-only backend.
 */
class PlateauGoldenTest {
    @Test
    void matchesPyTorch() throws IOException {
        JsonNode golden;
        try (InputStream in = PlateauGoldenTest.class.getResourceAsStream("/golden/train_schedules.json")) {
            golden = new ObjectMapper().readTree(in).get("plateau");
        }
        Backend shapes = new ShapeOnlyBackend();
        for (String name : List.of("min_rel", "max_abs")) {
            JsonNode c = golden.get(name);
            JsonNode o = c.get("options");
            ReduceLROnPlateau plateau = new ReduceLROnPlateau(new ReduceLROnPlateau.Options(
                    ReduceLROnPlateau.Mode.valueOf(o.get("mode").asText().toUpperCase(Locale.ROOT)),
                    o.get("factor").asDouble(), o.get("patience").asInt(), o.path("threshold").asDouble(1e-4),
                    !"abs".equals(o.path("threshold_mode").asText("rel")), o.path("cooldown").asInt(0),
                    o.path("min_lr").asDouble(0), 1e-8));
            try (Tensor a = Tensor.zeros(shapes, Shape.of(1)); Tensor b = Tensor.zeros(shapes, Shape.of(1));
                 Optimizer opt = new SGD(SGD.Options.of(0.1), List.of(ParamGroup.of(List.of(a)),
                         new ParamGroup(List.of(b), 0.02, null)))) {
                for (int epoch = 0; epoch < c.get("metrics").size(); epoch++) {
                    JsonNode m = c.get("metrics").get(epoch);
                    plateau.step(m.isNull() ? Double.NaN : m.asDouble(), opt);
                    JsonNode want = c.get("lrs").get(epoch);
                    // the same products of doubles in the same order as PyTorch: equal to the last bit or two
                    assertEquals(want.get(0).asDouble(), opt.getLr(0), 1e-18, name + " epoch " + epoch);
                    assertEquals(want.get(1).asDouble(), opt.getLr(1), 1e-18, name + " epoch " + epoch);
                }
            }
        }
    }
}
