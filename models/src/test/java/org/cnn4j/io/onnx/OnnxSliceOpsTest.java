package org.cnn4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.tensor.MemoryScope;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transpose, Slice and Split import paths that PyTorch 1.13's exporter does not write (opset 18's num_outputs,
 * attribute-form Slice, huge ends, refused negative steps, shape-vector slices) and the unsupported-operator error,
 * on hand-built nodes. Expected values are plain index arithmetic on {@code 0, 1, 2, ...}.
 */
class OnnxSliceOpsTest {
    private static final Backend CPU = new CpuBackend();
    private MemoryScope scope;

    @BeforeEach
    void openScope() {
        scope = MemoryScope.open();
    }

    @AfterEach
    void closeScope() {
        scope.close();
    }

    private static OnnxDefs.Node node(String op, int outputs, Map<String, OnnxDefs.Attribute> attrs) {
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            outs.add("out" + i);
        }
        return new OnnxDefs.Node("n1", op, "", List.of("x"), outs, attrs);
    }

    private static OnnxDefs.Attribute ints(String name, long... v) {
        return new OnnxDefs.Attribute(name, 7, 0, 0, null, null, null, v);
    }

    private static OnnxDefs.Attribute integer(String name, long v) {
        return new OnnxDefs.Attribute(name, 2, 0, v, null, null, null, null);
    }

    private static Tensor iota(int... dims) {
        float[] v = new float[(int) Shape.of(dims).numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.of(CPU, v, Shape.of(dims));
    }

    private static OnnxOps.Context opset(long v) {
        return new OnnxOps.Context(v, false, CPU);
    }

    @Test
    void splitFormsOfEveryOpset() {
        Tensor x = iota(1, 7);
        // opset 18: num_outputs=3 over 7 gives ceil(7/3)=3, 3 and the remaining 1
        Object[] parts = (Object[]) OnnxOps.run(node("Split", 3, Map.of("axis", integer("axis", 1),
                "num_outputs", integer("num_outputs", 3))), List.of(x), opset(18));
        assertArrayEquals(new float[] {0, 1, 2}, ((Tensor) parts[0]).toFloatArray());
        assertArrayEquals(new float[] {3, 4, 5}, ((Tensor) parts[1]).toFloatArray());
        assertArrayEquals(new float[] {6}, ((Tensor) parts[2]).toFloatArray());
        Object[] attrForm = (Object[]) OnnxOps.run(node("Split", 2, Map.of("axis", integer("axis", -1),
                "split", ints("split", 2, 5))), List.of(x), opset(11));
        assertArrayEquals(new float[] {2, 3, 4, 5, 6}, ((Tensor) attrForm[1]).toFloatArray());
        Object[] inputForm = (Object[]) OnnxOps.run(node("Split", 2, Map.of("axis", integer("axis", 1))),
                List.of(x, Ints.vector(5, 2)), opset(13));
        assertArrayEquals(new float[] {5, 6}, ((Tensor) inputForm[1]).toFloatArray());
        OnnxDefs.Node uneven = node("Split", 2, Map.of("axis", integer("axis", 1)));
        var e = assertThrows(OnnxFormatException.class, () -> OnnxOps.run(uneven, List.of(x, Ints.vector(3, 3)),
                opset(13)));
        assertTrue(e.getMessage().contains("n1") && e.getMessage().contains("sum to 6"), e.getMessage());
    }

    @Test
    void sliceClampsNegativeAndHugeBoundsAndTakesSteps() {
        Tensor x = iota(2, 3, 6);
        List<Object> in = List.of(x, Ints.vector(-2, 1), Ints.vector(Long.MAX_VALUE, Long.MAX_VALUE),
                Ints.vector(1, -1), Ints.vector(1, 2));
        Tensor y = (Tensor) OnnxOps.run(node("Slice", 1, Map.of()), in, opset(13));
        // x[:, 1:, 1::2]: rows 1 and 2, columns 1, 3, 5
        assertEquals(Shape.of(2, 2, 3), y.shape());
        assertArrayEquals(new float[] {7, 9, 11, 13, 15, 17, 25, 27, 29, 31, 33, 35}, y.toFloatArray());
        Tensor attrForm = (Tensor) OnnxOps.run(node("Slice", 1, Map.of("starts", ints("starts", 4),
                "ends", ints("ends", 100), "axes", ints("axes", 2))), List.of(x), opset(9));
        assertEquals(Shape.of(2, 3, 2), attrForm.shape());
        assertArrayEquals(new float[] {4, 5}, Arrays.copyOf(attrForm.toFloatArray(), 2));
        Ints shape = (Ints) OnnxOps.run(node("Slice", 1, Map.of()), List.of(Ints.vector(2, 3, 4, 5),
                Ints.vector(-2), Ints.vector(Long.MAX_VALUE)), opset(13));
        assertArrayEquals(new long[] {4, 5}, shape.data());
    }

    @Test
    void sliceRefusesNegativeStepsAndEmptyRangesNamingTheNode() {
        Tensor x = iota(2, 6);
        var back = assertThrows(OnnxFormatException.class, () -> OnnxOps.run(node("Slice", 1, Map.of()),
                List.of(x, Ints.vector(-1), Ints.vector(Long.MIN_VALUE), Ints.vector(1), Ints.vector(-1)), opset(13)));
        assertTrue(back.getMessage().contains("n1") && back.getMessage().contains("step -1"), back.getMessage());
        var empty = assertThrows(OnnxFormatException.class, () -> OnnxOps.run(node("Slice", 1, Map.of()),
                List.of(x, Ints.vector(4), Ints.vector(2), Ints.vector(1)), opset(13)));
        assertTrue(empty.getMessage().contains("selects nothing"), empty.getMessage());
    }

    /** inception_v3's transform_input exports x[:, 0] as Gather on axis 1 with a scalar index. */
    @Test
    void gatherOfAFloatTensorPicksAlongAnAxis() {
        OnnxDefs.Node onAxis1 = new OnnxDefs.Node("g", "Gather", "", List.of("x", "i"), List.of("y"),
                Map.of("axis", integer("axis", 1)));
        Tensor one = (Tensor) OnnxOps.run(onAxis1, List.of(iota(2, 3, 2), Ints.scalar(-1)), opset(13));
        assertEquals(Shape.of(2, 2), one.shape());
        assertArrayEquals(new float[] {4, 5, 10, 11}, one.toFloatArray());
        Tensor two = (Tensor) OnnxOps.run(onAxis1, List.of(iota(2, 3, 2), Ints.vector(2, 0)), opset(13));
        assertEquals(Shape.of(2, 2, 2), two.shape());
        assertArrayEquals(new float[] {4, 5, 0, 1, 10, 11, 6, 7}, two.toFloatArray());
    }

    @Test
    void transposeDefaultReversesAxes() {
        Tensor y = (Tensor) OnnxOps.run(node("Transpose", 1, Map.of()), List.of(iota(2, 3)), opset(17));
        assertEquals(Shape.of(3, 2), y.shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, y.toFloatArray());
        Tensor z = (Tensor) OnnxOps.run(node("Transpose", 1, Map.of("perm", ints("perm", 1, 2, 0))),
                List.of(iota(2, 1, 3)), opset(17));
        assertEquals(Shape.of(1, 3, 2), z.shape());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, z.toFloatArray());
    }

    @Test
    void unsupportedOperatorsAreAllListedWithNodeAndOpset() {
        Map<String, OnnxDefs.Attribute> none = new HashMap<>();
        List<OnnxDefs.Node> nodes = List.of(
                new OnnxDefs.Node("first", "Einsum", "", List.of("x"), List.of("a"), none),
                new OnnxDefs.Node("shuffle", "Transpose", "", List.of("a"), List.of("b"), none),
                new OnnxDefs.Node("last", "Resize", "", List.of("b"), List.of("y"), none));
        OnnxDefs.Graph g = new OnnxDefs.Graph(nodes, List.of(), List.of(new OnnxDefs.ValueInfo("x", new long[] {1})),
                List.of(new OnnxDefs.ValueInfo("y", new long[] {1})));
        var e = assertThrows(OnnxFormatException.class,
                () -> OnnxModel.build(new OnnxDefs.Model(8, 17, g), "m.onnx", CPU));
        String m = e.getMessage();
        assertTrue(m.contains("opset 17") && m.contains("Einsum (node 'first')") && m.contains("Resize (node 'last')")
                && !m.contains("Transpose"), m);
    }
}
