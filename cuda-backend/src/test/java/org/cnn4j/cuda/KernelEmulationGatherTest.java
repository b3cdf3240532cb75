package org.cnn4j.cuda;

import static org.cnn4j.cuda.EmulatedParity.EXACT;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kernels.cu's gather_rows and scatter_add_rows on the host emulation (see KernelEmulationTest), launched as
 * CudaBackend launches them, against the CPU backend. Both add each table element's contributions in increasing
 * source order, so they must match bit for bit; the table has more rows than scatter_add_rows has buckets, so rows
 * that share a bucket are covered, and every index repeats.
 */
class KernelEmulationGatherTest {
    private final EmulatedParity parity = new EmulatedParity();

    @AfterEach
    void runTheQueuedLaunches() {
        parity.verify();
    }

    private float[] indices(int n, int rows) {
        float[] ids = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = parity.random.nextInt(rows);
        }
        return ids;
    }

    @Test
    void gatherRowsIsExact() {
        int rows = 70, width = 33, n = 300;
        float[] ids = indices(n, rows);
        parity.check("gather rows", new int[][] {{rows, width}, {n}, {n, width}},
                new float[][] {parity.randn(rows * width, 1), ids, parity.randn(n * width, 1)},
                (cpu, t) -> cpu.gatherRows(t[0], t[1], t[2]),
                (j, b) -> j.launch(Kernel.GATHER_ROWS, (long) n * width, b[0], b[1], b[2], (long) n, width), EXACT);
    }

    @Test
    void scatterAddRowsIsExactWithAndWithoutASkippedRow() {
        int rows = 70, width = 33, n = 300;
        float[] ids = indices(n, rows);
        for (int skip : new int[] {-1, 5, 69}) {
            parity.check("scatter add rows, skip " + skip, new int[][] {{n}, {n, width}, {rows, width}},
                    new float[][] {ids, parity.randn(n * width, 1), parity.randn(rows * width, 1)},
                    (cpu, t) -> cpu.scatterAddRows(t[0], t[1], skip, t[2]),
                    (j, b) -> j.launch(Kernel.SCATTER_ADD_ROWS, (long) width * CudaBackend.SCATTER_BUCKETS, b[0], b[1],
                            b[2], (long) n, width, skip, CudaBackend.SCATTER_BUCKETS), EXACT);
        }
    }
}
