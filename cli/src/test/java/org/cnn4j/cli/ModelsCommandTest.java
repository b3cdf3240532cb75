package org.cnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.models.ModelRegistry;
import org.junit.jupiter.api.Test;

class ModelsCommandTest {
    @Test
    void listsEveryModelWithItsParameterCount() {
        ModelCommandsTestSupport.Result r = ModelCommandsTestSupport.run(new ModelsCommand());
        assertEquals(0, r.exitCode(), r.err());
        for (String name : ModelRegistry.names()) {
            assertTrue(r.out().contains(name + " "), name + " missing in\n" + r.out());
        }
        assertTrue(r.out().matches("(?s).*vgg19_bn +143,678,248 .*"), r.out());
        assertTrue(r.out().matches("(?s).*fmnist_cnn +421,834 +1x28x28 .*"), r.out());
    }
}
