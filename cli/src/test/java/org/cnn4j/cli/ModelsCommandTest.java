package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.models.ModelRegistry;
import org.junit.jupiter.api.Test;

class ModelsCommandTest {
    @Test
    void listsEveryModelByFamilyWithParametersAndMacs() {
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new ModelsCommand());
        assertEquals(0, r.exitCode(), r.err());
        for (String name : ModelRegistry.names()) {
            assertTrue(r.out().contains(name + " "), name + " missing in\n" + r.out());
        }
        // torchvision: 143,678,248 parameters, 19,632,062,464 MACs; fmnist_cnn: 4,241,152 MACs (SmallModelsTest)
        assertTrue(r.out().matches("(?s).*\\nVGG\\n.*  vgg19_bn +143,678,248 +19,632.1 .*"), r.out());
        assertTrue(r.out().matches("(?s).*fmnist_cnn +421,834 +4.2 +1x28x28 .*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nDenseNet\\n  densenet121 +7,978,856 +2,834.2 +3x224x224 .*"), r.out());
        assertTrue(r.out().matches("(?s).*  inception_v3 +27,161,264 +5,713.2 +3x299x299 .*"), r.out());
    }
}
