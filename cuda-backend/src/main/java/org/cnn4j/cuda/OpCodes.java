package org.cnn4j.cuda;

import java.util.function.ToIntFunction;

import org.cnn4j.backend.Activation;
import org.cnn4j.backend.BinaryOp;
import org.cnn4j.backend.ScalarOp;
import org.cnn4j.backend.UnaryOp;

/**
 * The one table of op codes the elementwise kernels switch on. Codes are written here, never taken from enum
 * ordinals: a new enum constant does not compile until it gets a code, and {@code src/main/cuda/ops.h}, which
 * kernels.cu includes, is generated from {@link #header()} (OpCodesTest fails while it is stale; the PTX
 * records a hash of ops.h, so PtxResourceTest fails while the PTX is).
 */
final class OpCodes {
    private OpCodes() {
    }

    static int of(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
        };
    }

    static int of(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case SQRT -> 3;
            case SQUARE -> 4;
            case ABS -> 5;
            case SIGN -> 6;
        };
    }

    static int of(ScalarOp op) {
        return switch (op) {
            case ADD -> 0;
            case MUL -> 1;
            case POW -> 2;
            case RSUB -> 3;
            case RDIV -> 4;
        };
    }

    /** An activation's code is part of its table entry ({@link Activation#code()}), written there, not an ordinal. */
    static int of(Activation act) {
        return act.code();
    }

    /** The text of ops.h: a C enum per op family ({@code BINARY_ADD = 0, ...}) and the launch block size. */
    static String header() {
        return "// cnn4j op codes: generated from org.cnn4j.cuda.OpCodes (OpCodesTest), do not edit.\n"
                + "// Regenerate: ./mvnw -B -pl cuda-backend -am test -Dtest=OpCodesTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Dcnn4j.cuda.writeOpsHeader=true\n"
                + "#ifndef CNN4J_OPS_H\n#define CNN4J_OPS_H\n\n"
                + "#define CNN4J_BLOCK " + CudaKernels.BLOCK + "  // threads per block of every launch\n\n"
                + family("BinaryOpCode", "BINARY_", BinaryOp.values(), OpCodes::of)
                + family("UnaryOpCode", "UNARY_", UnaryOp.values(), OpCodes::of)
                + family("ScalarOpCode", "SCALAR_", ScalarOp.values(), OpCodes::of)
                + family("ActivationCode", "ACT_", Activation.values(), OpCodes::of)
                + "\n#endif\n";
    }

    private static <E extends Enum<E>> String family(String type, String prefix, E[] values, ToIntFunction<E> code) {
        StringBuilder b = new StringBuilder("enum ").append(type).append(" {");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? " " : ", ").append(prefix).append(values[i].name()).append(" = ")
                    .append(code.applyAsInt(values[i]));
        }
        return b.append(" };\n").toString();
    }
}
