package org.cnn4j.io.pth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The restricted unpickler on pickles written by CPython 3 (protocols 2 to 5, hex below) and on hand-built
 * hostile ones. The Python value was
 * {@code {"a": [1, -2, 2**70, -2**63, 1.5, None, True, False, (1, "x"), [], {}], (1, 2): "tuple key",
 * 7: "int key", "e": "été", "od": OrderedDict([("x", 1)]), "b": b"\x00\x01" (protocol 3 and later)}}.
 */
class UnpicklerTest {
    private static final String[] PYTHON_PICKLES = {
        "80027d71002858010000006171015d7102284b014afeffffff8a090000000000000000408a080000000000000080473ff80000000000"
            + "004e88894b0158010000007871038671045d71057d7106654b014b0286710758090000007475706c65206b657971084b0758070000"
            + "00696e74206b65797109580100000065710a5805000000c3a974c3a9710b58020000006f64710c63636f6c6c656374696f6e730a4f"
            + "726465726564446963740a710d2952710e68034b0173752e",
        "80037d71002858010000006171015d7102284b014afeffffff8a090000000000000000408a080000000000000080473ff80000000000"
            + "004e88894b0158010000007871038671045d71057d7106654b014b0286710758090000007475706c65206b657971084b0758070000"
            + "00696e74206b65797109580100000065710a5805000000c3a974c3a9710b58020000006f64710c63636f6c6c656374696f6e730a4f"
            + "726465726564446963740a710d2952710e68034b0173580100000062710f430200017110752e",
        "8004959f000000000000007d94288c0161945d94284b014afeffffff8a090000000000000000408a08000000000000008047"
            + "3ff80000000000004e88894b018c01789486945d947d94654b014b0286948c097475706c65206b6579944b078c07696e74206b6579"
            + "948c0165948c05c3a974c3a9948c026f64948c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294680"
            + "34b01738c0162944302000194752e",
        "8005959f000000000000007d94288c0161945d94284b014afeffffff8a090000000000000000408a08000000000000008047"
            + "3ff80000000000004e88894b018c01789486945d947d94654b014b0286948c097475706c65206b6579944b078c07696e74206b6579"
            + "948c0165948c05c3a974c3a9948c026f64948c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294680"
            + "34b01738c0162944302000194752e",
    };

    private static Object load(byte[] pickle) throws IOException {
        return Unpickler.load(PickleInput.of("test.pkl", pickle), null);
    }

    @Test
    void readsCPythonPicklesOfEveryProtocolAsData() throws IOException {
        for (int i = 0; i < PYTHON_PICKLES.length; i++) {
            Map<?, ?> m = (Map<?, ?>) load(HexFormat.of().parseHex(PYTHON_PICKLES[i]));
            List<?> a = (List<?>) m.get("a");
            assertEquals(Arrays.asList(1L, -2L, BigInteger.ONE.shiftLeft(70), Long.MIN_VALUE, 1.5, null, true, false,
                    new Tuple(List.of(1L, "x")), List.of(), Map.of()), a, "protocol " + (i + 2));
            assertEquals("tuple key", m.get(new Tuple(List.of(1L, 2L))));
            assertEquals("int key", m.get(7L));
            assertEquals("été", m.get("e"));
            assertEquals(Map.of("x", 1L), m.get("od"));
            if (i > 0) {
                assertArrayEquals(new byte[]{0, 1}, (byte[]) m.get("b"));
            }
        }
    }

    /** A protocol-2 pickle: PROTO 2, the body, STOP. */
    private static byte[] pickle(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80);
        out.write(2);
        for (Object p : parts) {
            byte[] b = p instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : (byte[]) p;
            out.write(b, 0, b.length);
        }
        out.write('.');
        return out.toByteArray();
    }

    private static byte[] repeat(String s, int n) {
        return s.repeat(n).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertRejected(byte[] pickle, String... fragments) {
        PthFormatException e = assertThrows(PthFormatException.class, () -> load(pickle));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
        }
        assertTrue(e.getMessage().startsWith("test.pkl: "), e.getMessage());
    }

    @Test
    void rejectsGlobalsOutsideTheAllowList() {
        assertRejected(pickle("cposix\nsystem\n", "X\u0004\0\0\0echo\u0085R"), "global 'posix.system' is not allowed",
                "nothing in it is run", "byte 2");
        assertRejected(pickle("cbuiltins\neval\n"), "global 'builtins.eval' is not allowed");
        assertRejected(pickle("\u008c\u0002os\u008c\u0006system\u0093"), "global 'os.system' is not allowed");
        assertRejected(pickle("ctorch.storage\n_load_from_bytes\n"), "'torch.storage._load_from_bytes'");
    }

    @Test
    void refusesOpcodesThatCallClassesOrAreNotProtocol2() {
        assertRejected(pickle("(ios\nsystem\n"), "opcode INST", "calls a class");
        assertRejected(pickle("(cbuiltins\nlist\n"), "'builtins.list' is not allowed");
        assertRejected(pickle("\u0082\u0001"), "EXT1");
        assertRejected(pickle("I1\n"), "protocol 0/1 text opcode");
        assertRejected(pickle("\u00ff"), "unknown opcode 0xff");
        assertRejected("cos\nsystem\n.".getBytes(StandardCharsets.ISO_8859_1), "not a pickle of protocol 2 to 5");
    }

    @Test
    void allowedGlobalsOnlyActAsData() {
        assertRejected(pickle("ctorch\nFloatStorage\n)R"), "torch.FloatStorage", "cannot be called");
        assertRejected(pickle("ccollections\nOrderedDict\nK\u0001\u0085R"), "no arguments");
        assertRejected(pickle("ctorch._utils\n_rebuild_tensor_v2\n)R"), "takes 6 to 7 arguments, got 0");
        assertRejected(pickle("]N\u0085R"), "cannot call a list of 0");
        assertRejected(pickle("]]b"), "BUILD", "a list of 0");
    }

    @Test
    void limitsMemoStackMarksNestingAndSizes() {
        assertRejected(pickle("Nr\u00ff\u00ff\u00ff\u00ff"), "memo index 4294967295 exceeds the limit");
        assertRejected(pickle("h\u0005"), "memo index 5 was never stored");
        assertRejected(pickle(repeat("N", Unpickler.MAX_STACK + 1)), "stack deeper than " + Unpickler.MAX_STACK);
        assertRejected(pickle(repeat("(", Unpickler.MAX_MARKS + 1)), "more than " + Unpickler.MAX_MARKS
                + " nested marks");
        assertRejected(pickle(repeat("]", 150), repeat("a", 149)), "nest deeper than " + Unpickler.MAX_DEPTH);
        assertRejected(pickle(repeat("N", 200), repeat("\u0085", 200)), "nest deeper than " + Unpickler.MAX_DEPTH);
        // references are cheap to push but each container item counts: 2^21 of them are refused
        String batch = "(" + "h\u0001".repeat(60_000) + "e";
        assertRejected(pickle("X\u0001\0\0\0aq\u0001]", batch.repeat(36)), "more than " + Unpickler.MAX_OBJECTS
                + " objects and container items");
        assertRejected(pickle("X\u00ff\u00ff\u00ff\u00ff"), "a string of 4294967295 bytes runs past the end");
        assertRejected(pickle("\u008d\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0040"), "runs past the end");
        assertRejected(pickle("\u008b\u0000\u0000\u0000\u0001"), "integer of 16777216 bytes");
        assertRejected(pickle("\u0095\u00ff\u00ff\u00ff\u00ff\u0000\u0000\u0000\u0000"), "frame of");
    }

    @Test
    void rejectsMalformedStructure() {
        assertRejected(pickle(""), "STOP with 0 objects");
        assertRejected(pickle("NN"), "STOP with 2 objects");
        assertRejected(pickle("(N"), "1 open marks");
        assertRejected(pickle("a"), "stack underflow");
        assertRejected(pickle("}NNNu"), "no mark");
        assertRejected(pickle("}(Nu"), "odd number");
        assertRejected(pickle("}]Ns"), "dict key a list of 0 is not a string");
        assertRejected(pickle("NNa"), "APPEND to None");
        assertRejected(pickle("N(NQ"), "persistent id", "where none may occur");
        assertRejected(Arrays.copyOf(pickle("X\u0005\0\0\0hello"), 9), "runs past the end", "truncated");
        assertRejected(Arrays.copyOf(pickle("J\u0005\0\0\0"), 5), "test.pkl: ends early", "truncated");
    }

    @Test
    void popDupAndMarkOpcodesFollowCPython() throws IOException {
        // DUP pushes the same list, so appending through the copy shows in the original
        assertEquals(List.of(1L), load(pickle("]2K\u0001a0")));
        // POP drops the item above the mark; POP_MARK drops the mark and everything above it
        assertEquals(List.of(1L), load(pickle("](K\u0001K\u00020e")));
        assertEquals(List.of(3L), load(pickle("](K\u0001K\u00021K\u0003a")));
        assertEquals(Map.of("k", List.of(2L)), load(pickle("(X\u0001\0\0\0k(K\u0002ld")));
    }
}
