package org.cnn4j.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cnn4j.ops.Shapes;
import org.cnn4j.ops.Slicing;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.testing.BackendTestBase;
import org.cnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Reshape, flatten, concat, slice, split and permute: values, gradients and argument errors. */
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

    @Test
    void sliceValuesWithStepsMatchPlainIndexing() {
        float[] v = hostValues(2 * 7 * 3);
        Tensor x = tensor(v, 2, 7, 3);
        Tensor y = Slicing.slice(x, 1, 1, 7, 2);
        assertEquals(Shape.of(2, 3, 3), y.shape());
        float[] expected = new float[2 * 3 * 3];
        int o = 0;
        for (int n = 0; n < 2; n++) {
            for (int i = 1; i < 7; i += 2) {
                for (int k = 0; k < 3; k++) {
                    expected[o++] = v[(n * 7 + i) * 3 + k];
                }
            }
        }
        assertArrayEquals(expected, y.toFloatArray());
        assertArrayEquals(Arrays.copyOfRange(v, 3 * 2, 3 * 5), Slicing.slice(firstValues(v, 1, 7, 3), -2, 2, 5, 1)
                .toFloatArray());
    }

    @Test
    void sliceAndSplitGradients() {
        GradCheck.check("slice step 1", in -> Slicing.slice(in[0], 1, 1, 4, 1), param(2, 5, 3));
        GradCheck.check("slice step 3", in -> Slicing.slice(in[0], -1, 0, 5, 3), param(2, 3, 5));
        GradCheck.check("split used twice", in -> {
            Tensor[] parts = Slicing.split(in[0], 1, 1, 3, 2);
            return Shapes.concat(1, parts[2], parts[0], parts[1], parts[0]);
        }, param(2, 6, 2));
    }

    @Test
    void splitPartsAreConsecutiveSlices() {
        Tensor x = tensor(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 2, 5);
        Tensor[] parts = Slicing.split(x, 1, 2, 3);
        assertArrayEquals(new float[] {0, 1, 5, 6}, parts[0].toFloatArray());
        assertArrayEquals(new float[] {2, 3, 4, 7, 8, 9}, parts[1].toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> Slicing.split(x, 1, 2, 2));
        assertTrue(e.getMessage().contains("split") && e.getMessage().contains("[2, 2]"), e.getMessage());
    }

    @Test
    void permuteMatchesPlainLoopForEveryOrderOfFourAxes() {
        int[] dims = {2, 3, 4, 5};
        float[] v = hostValues(2 * 3 * 4 * 5);
        Tensor x = tensor(v, dims);
        for (int[] perm : permutations(4)) {
            Tensor y = Slicing.permute(x, perm);
            int[] outDims = new int[4];
            for (int i = 0; i < 4; i++) {
                outDims[i] = dims[perm[i]];
            }
            assertEquals(Shape.of(outDims), y.shape(), Arrays.toString(perm));
            float[] expected = new float[v.length];
            int[] idx = new int[4];
            for (int o = 0; o < v.length; o++) {
                int rest = o;
                for (int i = 3; i >= 0; i--) {
                    idx[perm[i]] = rest % outDims[i];
                    rest /= outDims[i];
                }
                expected[o] = v[((idx[0] * 3 + idx[1]) * 4 + idx[2]) * 5 + idx[3]];
            }
            assertArrayEquals(expected, y.toFloatArray(), Arrays.toString(perm));
        }
    }

    @Test
    void permuteGradientAndErrors() {
        GradCheck.check("permute 0 3 1 2", in -> Slicing.permute(in[0], 0, 3, 1, 2), param(2, 3, 2, 4));
        GradCheck.check("permute 2 0 1", in -> Slicing.permute(in[0], 2, 0, 1), param(3, 4, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> Slicing.permute(param(2, 3), 0, 0));
        assertTrue(e.getMessage().contains("permute") && e.getMessage().contains("[0, 0]"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Slicing.slice(param(2, 3), 1, 2, 5, 1));
        assertTrue(bad.getMessage().contains("slice") && bad.getMessage().contains("[2, 5)"), bad.getMessage());
    }

    /** Distinct non-zero values made on the host, so expectations never come from the device under test. */
    private static float[] hostValues(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 1 + i * 0.5f;
        }
        return v;
    }

    private Tensor firstValues(float[] values, int... dims) {
        return tensor(Arrays.copyOf(values, (int) Shape.of(dims).numel()), dims);
    }

    private static List<int[]> permutations(int n) {
        List<int[]> out = new ArrayList<>();
        permute(new int[n], new boolean[n], 0, out);
        return out;
    }

    private static void permute(int[] prefix, boolean[] used, int pos, List<int[]> out) {
        if (pos == prefix.length) {
            out.add(prefix.clone());
            return;
        }
        for (int a = 0; a < prefix.length; a++) {
            if (!used[a]) {
                used[a] = true;
                prefix[pos] = a;
                permute(prefix, used, pos + 1, out);
                used[a] = false;
            }
        }
    }
}
