package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jcuda.jcudnn.cudnnMathType;
import org.cnn4j.cuda.ConvAlgorithmSearch.Candidate;
import org.cnn4j.cuda.ConvAlgorithmSearch.Choice;
import org.junit.jupiter.api.Test;

/** The algorithm search without a GPU: a scripted "device" answers each attempt with a chosen cuDNN status. */
class ConvAlgorithmSearchTest {
    private static final int UNREPORTED = ConvAlgorithmSearch.UNREPORTED;
    private static final int BAD_PARAM = 2000;
    private static final int OOM = -1;  // the scripted run throws CudaOutOfMemoryException

    /** Runs algorithms by script: algo -> status (or OOM); records what was attempted, with which math type. */
    static final class ScriptedDevice implements ConvAlgorithmSearch.Attempt {
        final Map<Integer, Integer> runStatus = new HashMap<>();
        final Map<Integer, Long> workspace = new HashMap<>();
        final Map<Integer, Integer> sizeStatus = new HashMap<>();
        final List<String> runs = new ArrayList<>();

        ScriptedDevice status(int algo, int status) {
            runStatus.put(algo, status);
            return this;
        }

        @Override
        public int workspaceSize(int algo, int mathType, long[] bytes) {
            bytes[0] = workspace.getOrDefault(algo, 0L);
            return sizeStatus.getOrDefault(algo, 0);
        }

        @Override
        public int run(int algo, int mathType, long workspaceBytes) {
            runs.add(algo + "/" + mathType + "/" + workspaceBytes);
            int status = runStatus.getOrDefault(algo, 0);
            if (status == OOM) {
                throw new CudaOutOfMemoryException("scripted out of memory");
            }
            return status;
        }
    }

    private static Candidate offered(int algo, long workspace) {
        return new Candidate(algo, 0, workspace, UNREPORTED);
    }

    @Test
    void theFirstCandidateThatRunsIsChosenAfterNotSupportedExecutionAndAllocationFailures() {
        ScriptedDevice dev = new ScriptedDevice()
                .status(1, ConvAlgorithmSearch.NOT_SUPPORTED)
                .status(6, 5001)  // EXECUTION_FAILED_CUDA_DRIVER: a sub-code of the category
                .status(2, ConvAlgorithmSearch.DEVICE_ALLOCATION_FAILED)
                .status(7, OOM)
                .status(3, ConvAlgorithmSearch.HOST_ALLOCATION_FAILED)
                .status(0, 0);
        dev.workspace.put(0, 4096L);
        List<Candidate> list = List.of(offered(1, 0), offered(6, 0), offered(2, 0), offered(7, 0), offered(3, 0),
                offered(0, 4096), offered(5, 0));
        Choice c = ConvAlgorithmSearch.firstWorking("conv2d forward", list, true, 1 << 20, dev);
        assertEquals(new Choice(0, cudnnMathType.CUDNN_DEFAULT_MATH, 4096), c);
        assertEquals(List.of("1/0/0", "6/0/0", "2/0/0", "7/0/0", "3/0/0", "0/0/4096"), dev.runs,
                "tried in cuDNN's order, stopped at the first success");
    }

    @Test
    void anotherFailureIsABugAndThrowsAtOnce() {
        ScriptedDevice dev = new ScriptedDevice().status(1, BAD_PARAM);
        CudaOperationException e = assertThrows(CudaOperationException.class, () ->
                ConvAlgorithmSearch.firstWorking("conv2d backward data (dy [1])", List.of(offered(1, 0),
                        offered(2, 0)), true, 1 << 20, dev));
        assertEquals("conv2d backward data (dy [1]) with algo 1 failed: cuDNN status 2000 (cuDNN status 2000)",
                e.getMessage());
        assertEquals(List.of("1/0/0"), dev.runs);
    }

    @Test
    void candidatesAboveTheWorkspaceLimitAreSkippedWithoutRunning() {
        ScriptedDevice dev = new ScriptedDevice();
        dev.workspace.put(4, 3L << 20);  // perf says 0, the size query with the chosen math type says 3 MiB
        List<Candidate> list = List.of(offered(1, 8L << 20), offered(4, 0), offered(2, 1L << 20));
        Choice c = ConvAlgorithmSearch.firstWorking("conv2d forward", list, true, 2L << 20, dev);
        assertEquals(2, c.algo());
        assertEquals(List.of("2/0/0"), dev.runs, "neither 1 (perf memory) nor 4 (size query) ran");
    }

    @Test
    void whenNothingRunsTheErrorNamesEveryCandidatesOutcome() {
        ScriptedDevice dev = new ScriptedDevice().status(1, ConvAlgorithmSearch.NOT_SUPPORTED).status(2, OOM);
        dev.sizeStatus.put(3, 3002);  // NOT_SUPPORTED_SHAPE from the size query: not run, next
        List<Candidate> list = List.of(offered(1, 0), offered(2, 1024), offered(3, 0), offered(5, 4L << 30),
                new Candidate(9, ConvAlgorithmSearch.NOT_SUPPORTED, 0, UNREPORTED));
        CudaOperationException e = assertThrows(CudaOperationException.class,
                () -> ConvAlgorithmSearch.firstWorking("conv2d forward (x [1, 3, 8, 8])", list, true, 1L << 30, dev));
        assertEquals("conv2d forward (x [1, 3, 8, 8]): no cuDNN algorithm ran; tried algo 1: cuDNN status 3000 (3000);"
                + " algo 2: workspace of 0 bytes not allocated; algo 3: cuDNN status 3002 (3002);"
                + " algo 5: workspace 4096.0 MiB above the limit 1024.0 MiB (-Dcnn4j.cuda.workspaceLimit)",
                e.getMessage());
        assertEquals(List.of("1/0/0", "2/0/0"), dev.runs, "9 was not offered (status != 0), 3 failed its size query");
        CudaOperationException none = assertThrows(CudaOperationException.class,
                () -> ConvAlgorithmSearch.firstWorking("conv", List.of(), true, 0, dev));
        assertEquals("conv: no cuDNN algorithm ran (cuDNN offered none)", none.getMessage());
    }

    @Test
    void withTf32OffStrictMathCandidatesComeFirstAndRunWithFma() {
        int fma = cudnnMathType.CUDNN_FMA_MATH;
        int tensorOp = cudnnMathType.CUDNN_TENSOR_OP_MATH;
        List<Candidate> list = List.of(new Candidate(1, 0, 0, tensorOp), new Candidate(2, 0, 0, fma),
                new Candidate(3, 0, 0, UNREPORTED));
        assertEquals(List.of(2, 3, 1), ConvAlgorithmSearch.order(list, false).stream().map(Candidate::algo).toList());
        assertEquals(List.of(1, 2, 3), ConvAlgorithmSearch.order(list, true).stream().map(Candidate::algo).toList());
        ScriptedDevice dev = new ScriptedDevice();
        assertEquals(new Choice(2, fma, 0), ConvAlgorithmSearch.firstWorking("c", list, false, 0, dev));
        assertEquals(new Choice(1, tensorOp, 0), ConvAlgorithmSearch.firstWorking("c", list, true, 0, dev),
                "TF32 on: the reported math type");
    }

    @Test
    void statusesThatMoveOnAreNotSupportedExecutionFailedAndAllocationFailures() {
        for (int s : new int[] {3000, 3001, 3013, 5000, 5004, 4003, 4004}) {
            assertTrue(ConvAlgorithmSearch.tryNext(s), "status " + s);
        }
        for (int s : new int[] {0, 1001, 2000, 2002, 4000, 4001, 4005}) {
            assertTrue(!ConvAlgorithmSearch.tryNext(s), "status " + s);
        }
    }

    @Test
    void workspaceLimitDefaultsToOneGibOrAQuarterOfTheDevice() {
        assertEquals(1L << 30, ConvAlgorithmSearch.workspaceLimit(null, 80L << 30));
        assertEquals(1L << 29, ConvAlgorithmSearch.workspaceLimit(" ", 2L << 30), "2 GiB device: a quarter");
        assertEquals(1L << 30, ConvAlgorithmSearch.workspaceLimit(null, -1), "device size unknown");
        assertEquals(0, ConvAlgorithmSearch.workspaceLimit("0", 1L << 30));
        assertEquals(536870912L, ConvAlgorithmSearch.workspaceLimit("536870912", 1L << 30));
        assertEquals(512L << 20, ConvAlgorithmSearch.workspaceLimit("512m", 1L << 30));
        assertEquals(2L << 30, ConvAlgorithmSearch.workspaceLimit("2G", 1L << 30), "explicit beats the quarter");
        assertEquals(64L << 10, ConvAlgorithmSearch.workspaceLimit("64k", 1L << 30));
        for (String bad : new String[] {"-1", "1.5g", "g", "lots", "99999999999999999999", "9000000000g"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConvAlgorithmSearch.workspaceLimit(bad, 1L << 30), bad);
            assertEquals("-Dcnn4j.cuda.workspaceLimit=" + bad + ": expected a byte count >= 0 such as 536870912,"
                    + " 512m or 2g", e.getMessage());
        }
    }
}
