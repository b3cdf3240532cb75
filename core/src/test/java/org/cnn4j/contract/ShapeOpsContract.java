package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cnn4j.ops.Shapes;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Reshape, flatten and concat: values, gradients and argument errors. */
public abstract class ShapeOpsContract extends BackendTestBase {

    @Test
    void reshapeAndFlattenGradients() {
        GradCheck.check("reshape", in -> Shapes.reshape(in[0], 6, -1), param(2, 3, 4));
        GradCheck.check("flatten", in -> Shapes.flatten(in[0], 1), param(2, 3, 2, 2));
        Tensor x = param(2, 3, 4);
        Tensor y = Shapes.reshape(x, -1, 4);
        assertEquals(Shape.of(6, 4), y.shape());
        assertTrue(y.isViewOf(x));
        assertEquals(Shape.of(2, 12), Shapes.flatten(x, 1).shape());
    }

    @Test
    void concatValuesAlongChannels() {
        Tensor a = tensor(new float[] {1, 2, 3, 4}, 2, 1, 2);
        Tensor b = tensor(new float[] {5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 2);
        Tensor out = Shapes.concat(1, a, b);
        assertEquals(Shape.of(2, 3, 2), out.shape());
        assertArrayEquals(new float[] {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}, out.toFloatArray());
        Tensor last = Shapes.concat(-1, a, a);
        assertArrayEquals(new float[] {1, 2, 1, 2, 3, 4, 3, 4}, last.toFloatArray());
    }

    @Test
    void concatGradientOfThreeParts() {
        GradCheck.check("concat axis 1", in -> Shapes.concat(1, in[0], in[1], in[2]),
                param(2, 1, 3, 3), param(2, 2, 3, 3), param(2, 3, 3, 3));
        GradCheck.check("concat axis 0", in -> Shapes.concat(0, in[0], in[1]), param(1, 4), param(3, 4));
    }

    @Test
    void concatMismatchNamesOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Shapes.concat(1, param(2, 3, 4), param(2, 2, 5)));
        String m = e.getMessage();
        assertTrue(m.contains("concat") && m.contains("[2, 3, 4]") && m.contains("[2, 2, 5]"), m);
        var rank = assertThrows(IllegalArgumentException.class, () -> Shapes.concat(0, param(2, 3), param(2)));
        assertTrue(rank.getMessage().contains("concat") && rank.getMessage().contains("rank 2"), rank.getMessage());
    }

    @Test
    void reshapeToWrongSizeNamesBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Shapes.reshape(param(2, 3), 4, 2));
        assertTrue(e.getMessage().contains("reshape") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[4, 2]"), e.getMessage());
    }
}
