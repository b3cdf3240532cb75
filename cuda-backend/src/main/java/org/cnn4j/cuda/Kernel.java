package org.cnn4j.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The custom kernels in {@code kernels.cu}, with their parameter lists: {@code p} device pointer, {@code i}
 * 32-bit int, {@code l} 64-bit integer, {@code f} float, {@code sN} a struct of N bytes passed by value (an
 * int[] of N/4). A CPU-only test checks these against the {@code .entry} declarations in the shipped PTX, and
 * the host emulation of kernels.cu checks them against the C++ parameter types.
 */
enum Kernel {
    BINARY_SAME("binary_same", "ipppl"),
    BINARY_BCAST("binary_bcast", "ipppl s100"),
    UNARY_OP("unary_op", "ippl"),
    SCALAR_OP("scalar_op", "ipfpl"),
    REDUCE_SUM_TO("reduce_sum_to", "ppiii s100"),
    COPY_ALONG_AXIS("copy_along_axis", "ppliiiiil"),
    ACTIVATION_FWD("activation_fwd", "ippfl"),
    ACTIVATION_BWD("activation_bwd", "ipppfl"),
    MAX_POOL_FWD("max_pool_fwd", "pp s52"),
    AVG_POOL_FWD("avg_pool_fwd", "pp s52"),
    MAX_POOL_BWD("max_pool_bwd", "ppp s52"),
    AVG_POOL_BWD("avg_pool_bwd", "pp s52"),
    ADAPTIVE_AVG_FWD("adaptive_avg_fwd", "ppliiii"),
    ADAPTIVE_AVG_BWD("adaptive_avg_bwd", "ppliiii"),
    NLL_FWD("nll_fwd", "ppfpii"),
    NLL_BWD("nll_bwd", "pfppii"),
    DROPOUT_FWD("dropout_fwd", "pfflppl"),
    SGD_STEP("sgd_step", "pppfffifil"),
    ADAM_STEP("adam_step", "ppppfffffiffl"),
    GATHER_ROWS("gather_rows", "pppli"),
    SCATTER_ADD_ROWS("scatter_add_rows", "pppliii");

    final String entry;
    /** Parameter kinds, one token per parameter. */
    final String[] params;

    Kernel(String entry, String signature) {
        this.entry = entry;
        this.params = tokens(signature);
    }

    /** Splits "ppi s100" into ["p", "p", "i", "s100"]. */
    static String[] tokens(String signature) {
        List<String> out = new ArrayList<>();
        for (String part : signature.split(" ")) {
            if (part.startsWith("s")) {
                out.add(part);
            } else {
                for (char c : part.toCharArray()) {
                    out.add(String.valueOf(c));
                }
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * Checks launch arguments against the signature: {@code pointerType} (or null) for {@code p}, Integer,
     * Long, Float, and an int[] of N/4 for {@code sN}.
     */
    void checkArguments(Class<?> pointerType, Object... args) {
        if (args.length != params.length) {
            throw new IllegalArgumentException(entry + ": expected " + params.length + " arguments "
                    + Arrays.toString(params) + ", got " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            Class<?> type = switch (params[i]) {
                case "p" -> pointerType;
                case "i" -> Integer.class;
                case "l" -> Long.class;
                case "f" -> Float.class;
                default -> int[].class;
            };
            if (a == null ? !params[i].equals("p") : !type.isInstance(a)) {
                throw new IllegalArgumentException(entry + ": argument " + i + " must be " + type.getSimpleName()
                        + ", got " + (a == null ? "null" : a.getClass().getSimpleName()));
            }
            if (a instanceof int[] struct && struct.length * 4 != Integer.parseInt(params[i].substring(1))) {
                throw new IllegalArgumentException(entry + ": argument " + i + " must be a struct of "
                        + params[i].substring(1) + " bytes, got " + struct.length + " ints");
            }
        }
    }

    /** The launch as CUDA writes it, for error messages: {@code name<<<blocks, threads>>>(args)}. */
    String describe(long blocks, int threads, Object... args) {
        StringBuilder b = new StringBuilder(entry).append("<<<").append(blocks).append(", ").append(threads)
                .append(">>>(");
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            b.append(i == 0 ? "" : ", ").append(a == null ? "null" : i < params.length && params[i].equals("p")
                    ? "ptr" : a instanceof int[] struct ? Arrays.toString(struct) : a.toString());
        }
        return b.append(')').toString();
    }
}
