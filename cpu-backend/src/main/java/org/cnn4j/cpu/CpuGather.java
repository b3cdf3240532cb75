package org.cnn4j.cpu;

/**
 * Row gather and scatter-add (embedding lookup and its gradient). The scatter splits the work by column, so
 * every element of the table is summed by one thread in increasing index order: the same bits for any thread
 * count. {@link #gatherReference} and {@link #scatterAddReference} are the plain loops the fast ones are checked
 * against.
 */
final class CpuGather {
    private CpuGather() {
    }

    static void gather(float[] table, int width, float[] indices, int n, float[] out) {
        CpuThreads.parallelFor(n, width, (from, to) -> {
            for (int i = from; i < to; i++) {
                System.arraycopy(table, (int) indices[i] * width, out, i * width, width);
            }
        });
    }

    static void scatterAdd(float[] indices, int n, float[] src, int width, int skipIndex, float[] table) {
        CpuThreads.parallelFor(width, n, (from, to) -> {
            for (int i = 0; i < n; i++) {
                int row = (int) indices[i];
                if (row == skipIndex) {
                    continue;
                }
                int s = i * width, t = row * width;
                for (int c = from; c < to; c++) {
                    table[t + c] += src[s + c];
                }
            }
        });
    }

    static void gatherReference(float[] table, int width, float[] indices, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < width; c++) {
                out[i * width + c] = table[(int) indices[i] * width + c];
            }
        }
    }

    static void scatterAddReference(float[] indices, int n, float[] src, int width, int skipIndex, float[] table) {
        for (int i = 0; i < n; i++) {
            if ((int) indices[i] != skipIndex) {
                for (int c = 0; c < width; c++) {
                    table[(int) indices[i] * width + c] += src[i * width + c];
                }
            }
        }
    }
}
