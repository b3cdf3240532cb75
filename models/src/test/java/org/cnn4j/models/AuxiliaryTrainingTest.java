package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Example;
import org.cnn4j.data.ImageShape;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Fit;
import org.cnn4j.train.FitData;
import org.cnn4j.train.FitResult;
import org.cnn4j.train.GradientHook;
import org.cnn4j.train.OptimizerKind;
import org.cnn4j.train.ScheduleKind;
import org.cnn4j.train.TrainConfig;
import org.junit.jupiter.api.Test;

/**
 * GoogLeNet's auxiliary heads under {@link Fit}, the loop {@code cnn train} runs: the gradients of the run's one
 * optimizer step equal PyTorch's for {@code main + 0.3 * (aux1 + aux2)} (ZooGoldenTest's fixture, from
 * tools/golden/make_zoo_fixtures.py, with its tolerance), and the step moves the auxiliary heads' weights. Dropout is
 * built with p = 0 (the fixture turns it off; Fit puts every layer in training mode). Inception v3's loss goes
 * through the same {@link org.cnn4j.train.TrainingLoss} in ZooGoldenTest; a Fit of it at 299x299 would add seconds
 * to the suite and test nothing more.
 */
class AuxiliaryTrainingTest {
    private static final Backend CPU = ZooGoldenTest.CPU;
    private static final int CLASSES = 10;

    @Test
    void fitTrainsGoogLeNetsAuxiliaryHeadsWithTheRecipesLoss() throws IOException {
        String name = "googlenet";
        List<String> fixture = Fixtures.lines("grads/" + name + ".txt");
        Shape input = ZooGoldenTest.shape(Fixtures.field(fixture, "input"));
        double floor = Double.parseDouble(Fixtures.field(fixture, "floor"));
        double rel = Double.parseDouble(Fixtures.field(fixture, "relative_tolerance"));
        List<String> rows = fixture.stream().filter(l -> l.split(" ").length == 3).toList();
        long before = CPU.liveBytes();
        try (Backends.Use use = Backends.use(CPU);
             Module model = ZooGoldenTest.uninitialised(() -> new GoogLeNet(CLASSES, true, false, 0f, 0f))) {
            GoldenWeights.fillHashed(model.stateDict());
            Map<Tensor, String> names = new IdentityHashMap<>();
            model.namedParameters().forEach((key, p) -> names.put(p, key));
            Map<String, float[]> initialAux = new LinkedHashMap<>();
            model.namedParameters().forEach((key, p) -> {
                if (key.startsWith("aux")) {
                    initialAux.put(key, p.toFloatArray());
                }
            });
            Map<String, float[]> grads = new LinkedHashMap<>();
            GradientHook capture = new GradientHook() {
                @Override
                public boolean afterBackward(List<Tensor> params, long update) {
                    Map<String, float[]> byName = new LinkedHashMap<>();
                    for (Tensor p : params) {
                        assertNotNull(p.grad(), names.get(p) + " took part in the loss");
                        byName.put(names.get(p), p.grad().toFloatArray());
                    }
                    model.namedParameters().keySet().forEach(k -> grads.put(k, byName.get(k)));
                    return true;
                }
            };
            TrainConfig config = TrainConfig.builder(name, "hashed").epochs(1).batchSize(input.dim(0)).lr(0.01)
                    .optimizer(OptimizerKind.SGD).momentum(0).schedule(ScheduleKind.NONE).build();
            Dataset data = hashed(input);
            FitResult result = new Fit(config, model, new FitData(data, null, data, null, "hashed input"), CPU)
                    .addGradientHook(capture).run(null);

            double expectedLoss = Double.parseDouble(Fixtures.field(fixture, "loss"));
            assertEquals(expectedLoss, result.history().get(0).trainLoss(), rel * Math.max(1, expectedLoss),
                    name + ": the training loss Fit reports is main + weighted auxiliary losses");

            assertEquals(List.of(), ZooGoldenTest.compareGradients(grads, rows, floor, rel),
                    name + ": gradients of Fit's step off by more than " + rel + " x (|g| + " + floor + ")");
            initialAux.forEach((key, initial) -> assertFalse(
                    Arrays.equals(initial, model.namedParameters().get(key).toFloatArray()), key + " was updated"));
        }
        assertEquals(before, CPU.liveBytes(), name + ": every tensor freed");
    }

    /** The fixture's input as a dataset: example i is row i of the hashed batch, labelled i % 10. */
    private static Dataset hashed(Shape input) {
        float[] all = GoldenWeights.hashedInput(input);
        ImageShape shape = new ImageShape(input.dim(1), input.dim(2), input.dim(3));
        int per = shape.size();
        List<String> classes = IntStream.range(0, CLASSES).mapToObj(Integer::toString).toList();
        return new Dataset() {
            @Override
            public int size() {
                return input.dim(0);
            }

            @Override
            public Example get(int index) {
                return new Example(Arrays.copyOfRange(all, index * per, (index + 1) * per), shape, index % CLASSES);
            }

            @Override
            public ImageShape shape() {
                return shape;
            }

            @Override
            public List<String> classNames() {
                return classes;
            }
        };
    }
}
