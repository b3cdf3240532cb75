package org.cnn4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.ReLU;
import org.cnn4j.nn.Sequential;
import org.cnn4j.ops.Losses;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The shape-only backend beside the SPI, held to the part of the contract that applies to a
 * backend without data, the shapes of every op's outputs and gradients and the shape errors of the op layer.
 */
class ShapeOnlyBackendTest {
    private final Backend shapes = new ShapeOnlyBackend();

    @Test
    void forwardAndBackwardGiveTheShapesAndNoData() {
        try (Backends.Use use = Backends.use(shapes); MemoryScope scope = MemoryScope.open();
             Sequential net = new Sequential(new Conv2d(3, 8, 3, 2, 1), new BatchNorm2d(8), new ReLU(),
                     new MaxPool2d(2), new Flatten(), new Dropout(0.5f), new Linear(8 * 8 * 8, 10))) {
            Tensor x = Tensor.zeros(shapes, Shape.of(4, 3, 32, 32));
            Tensor logits = net.call(x);
            assertEquals(Shape.of(4, 10), logits.shape());
            Losses.crossEntropy(logits, new int[] {0, 1, 2, 3}).backward();
            assertEquals(Shape.of(8, 3, 3, 3), net.parameters().get(0).grad().shape());
            assertArrayEquals(new float[40], logits.toFloatArray(), "reads give zeros");
        }
    }

    @Test
    void theOpLayerStillChecksShapes() {
        try (Backends.Use use = Backends.use(shapes); MemoryScope scope = MemoryScope.open();
             Linear fc = new Linear(5, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fc.call(Tensor.zeros(shapes, Shape.of(3, 4))));
            assertEquals(true, e.getMessage().contains("4"), e.getMessage());
        }
    }
}
