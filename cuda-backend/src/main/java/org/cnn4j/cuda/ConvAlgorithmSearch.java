package org.cnn4j.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jcuda.jcudnn.cudnnMathType;

/**
 * Chooses the algorithm of one convolution direction for one shape, as PyTorch does: cuDNN's candidates in
 * cuDNN's order (with TF32 off, those not reporting tensor-op math first), each run for real until one works.
 * A candidate whose workspace exceeds the limit is skipped; NOT_SUPPORTED, EXECUTION_FAILED and allocation
 * failures (cuDNN's, or the workspace's {@link CudaOutOfMemoryException}) move on to the next; any other status
 * is a bug in the call and throws at once. Pure Java: the cuDNN calls come in as an {@link Attempt}.
 */
final class ConvAlgorithmSearch {
    /** {@code mathType} of a candidate whose perf result does not report it (JCudnn 12.6 forward/backward data). */
    static final int UNREPORTED = -1;
    /** cuDNN 9 status codes: categories are multiples of 1000, sub-codes add to them. */
    static final int NOT_SUPPORTED = 3000;
    static final int HOST_ALLOCATION_FAILED = 4003;
    static final int DEVICE_ALLOCATION_FAILED = 4004;
    static final int EXECUTION_FAILED = 5000;

    static final String LIMIT_PROPERTY = "cnn4j.cuda.workspaceLimit";
    static final long DEFAULT_LIMIT = 1L << 30;

    /** One entry of cuDNN's perf results. */
    record Candidate(int algo, int status, long workspace, int mathType) {
    }

    /** The algorithm that ran, with the math type and workspace it ran with: what the per-shape plan keeps. */
    record Choice(int algo, int mathType, long workspace) {
    }

    /** The cuDNN calls of one direction, bound to one shape and its operands. */
    interface Attempt {
        /** Puts the workspace bytes {@code algo} needs with {@code mathType} in {@code bytes[0]}; cuDNN's status. */
        int workspaceSize(int algo, int mathType, long[] bytes);

        /**
         * Runs the convolution and returns cuDNN's status; throws {@link CudaOutOfMemoryException} when the
         * workspace cannot be allocated.
         */
        int run(int algo, int mathType, long workspace);

        /** Names a status in error messages ({@code cudnnGetErrorString} on the device). */
        default String describe(int status) {
            return "cuDNN status " + status;
        }
    }

    private ConvAlgorithmSearch() {
    }

    /** Statuses after which the next candidate is tried. */
    static boolean tryNext(int status) {
        int category = status / 1000 * 1000;
        return category == NOT_SUPPORTED || category == EXECUTION_FAILED || status == HOST_ALLOCATION_FAILED
                || status == DEVICE_ALLOCATION_FAILED;
    }

    /**
     * The math type to run a candidate with: FMA (strict FP32) when TF32 is off; else the candidate's reported
     * math type, or the requested default where it is not reported.
     */
    static int chosenMath(boolean tf32, int reportedMath) {
        if (!tf32) {
            return cudnnMathType.CUDNN_FMA_MATH;
        }
        return reportedMath == UNREPORTED ? cudnnMathType.CUDNN_DEFAULT_MATH : reportedMath;
    }

    /** The candidates cuDNN offered (status 0), in the order to try them. */
    static List<Candidate> order(List<Candidate> offered, boolean tf32) {
        List<Candidate> preferred = new ArrayList<>();
        List<Candidate> rest = new ArrayList<>();
        for (Candidate c : offered) {
            if (c.status() != 0) {
                continue;
            }
            boolean strict = c.mathType() == UNREPORTED || c.mathType() == cudnnMathType.CUDNN_FMA_MATH;
            (tf32 || strict ? preferred : rest).add(c);
        }
        preferred.addAll(rest);
        return preferred;
    }

    /**
     * Runs the candidates in order until one succeeds and returns it (the convolution has then been computed);
     * throws naming every candidate's outcome when none does.
     */
    static Choice firstWorking(String what, List<Candidate> offered, boolean tf32, long workspaceLimit,
                               Attempt attempt) {
        List<String> outcomes = new ArrayList<>();
        for (Candidate c : order(offered, tf32)) {
            int math = chosenMath(tf32, c.mathType());
            long[] workspace = {c.workspace()};
            int status = 0;
            if (workspace[0] <= workspaceLimit) {
                status = attempt.workspaceSize(c.algo(), math, workspace);
            }
            if (status == 0 && workspace[0] > workspaceLimit) {
                outcomes.add("algo " + c.algo() + ": workspace " + bytes(workspace[0]) + " above the limit "
                        + bytes(workspaceLimit) + " (-D" + LIMIT_PROPERTY + ")");
                continue;
            }
            if (status == 0) {
                try {
                    status = attempt.run(c.algo(), math, workspace[0]);
                } catch (CudaOutOfMemoryException e) {
                    outcomes.add("algo " + c.algo() + ": workspace of " + bytes(workspace[0]) + " not allocated");
                    continue;
                }
                if (status == 0) {
                    return new Choice(c.algo(), math, workspace[0]);
                }
            }
            if (!tryNext(status)) {
                throw new CudaOperationException(what + " with algo " + c.algo() + " failed: "
                        + attempt.describe(status) + " (cuDNN status " + status + ")");
            }
            outcomes.add("algo " + c.algo() + ": " + attempt.describe(status) + " (" + status + ")");
        }
        throw new CudaOperationException(what + ": no cuDNN algorithm ran"
                + (outcomes.isEmpty() ? " (cuDNN offered none)" : "; tried " + String.join("; ", outcomes)));
    }

    /**
     * The workspace limit from {@code -Dcnn4j.cuda.workspaceLimit} (bytes, or with a k/m/g suffix); unset, the
     * smaller of 1 GiB and a quarter of the device's memory.
     */
    static long workspaceLimit(String property, long deviceBytes) {
        if (property == null || property.isBlank()) {
            return deviceBytes > 0 ? Math.min(DEFAULT_LIMIT, deviceBytes / 4) : DEFAULT_LIMIT;
        }
        String s = property.trim().toLowerCase(Locale.ROOT);
        int shift = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        try {
            long v = Long.parseLong(digits);
            if (v >= 0 && v <= Long.MAX_VALUE >> shift) {
                return v << shift;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + LIMIT_PROPERTY + "=" + property
                + ": expected a byte count >= 0 such as 536870912, 512m or 2g");
    }

    static String bytes(long b) {
        return b >= 1L << 20 ? String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0) : b + " bytes";
    }
}
