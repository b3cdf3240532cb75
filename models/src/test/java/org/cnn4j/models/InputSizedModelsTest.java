package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * The small models size their first linear layer from {@link ModelOptions#inputSize()}, so the default model
 * runs on CIFAR-10 (3x32x32) and image folders (3xSxS), where it used to fail with "input has 4096 features".
 */
class InputSizedModelsTest {
    private static Shape output(String model, ModelOptions options, int... input) {
        List<ModelSummary.Layer> layers = ModelSummary.of(model, options, Shape.of(input)).layers();
        return layers.get(layers.size() - 1).output();
    }

    @Test
    void fmnistCnnOnCifarAndFolderSizes() {
        assertEquals(Shape.of(2, 10), output("fmnist_cnn", ModelOptions.DEFAULTS.withInChannels(3).withInputSize(32),
                2, 3, 32, 32));
        assertEquals(Shape.of(1, 5), output("fmnist_cnn", ModelOptions.numClasses(5).withInChannels(3)
                .withInputSize(64), 1, 3, 64, 64));
        assertEquals(Shape.of(1, 10), output("fmnist_cnn", ModelOptions.DEFAULTS.withInputSize(30), 1, 1, 30, 30));
    }

    @Test
    void lenet5OnOtherSizes() {
        assertEquals(Shape.of(1, 10), output("lenet5", ModelOptions.DEFAULTS.withInChannels(3).withInputSize(32),
                1, 3, 32, 32));
        assertEquals(Shape.of(1, 10), output("lenet5", ModelOptions.DEFAULTS.withInputSize(12), 1, 1, 12, 12));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> output("lenet5", ModelOptions.DEFAULTS.withInputSize(11), 1, 1, 11, 11));
        assertTrue(e.getMessage().contains("at least 12x12"), e.getMessage());
    }

    @Test
    void theDefaultSizeKeepsTheModelsAsTheyWere() {
        assertEquals(421_834, ModelSummary.of("fmnist_cnn", ModelOptions.DEFAULTS, Shape.of(1, 1, 28, 28)).params());
        assertEquals(61_706, ModelSummary.of("lenet5", ModelOptions.DEFAULTS, Shape.of(1, 1, 28, 28)).params());
    }
}
