package org.cnn4j.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both collectives against the {@link RingOrder} reference: the same bits on every rank and in both
 * implementations, and failures that name the rank at fault instead of hanging.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CollectiveTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static float[] input(int rank, int length) {
        Random random = new Random(1000 + rank);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
        }
        return v;
    }

    private static float[] reference(int n, int length, ReduceOp op) {
        float[][] inputs = new float[n][];
        for (int r = 0; r < n; r++) {
            inputs[r] = input(r, length);
        }
        float[] out = new float[length];
        RingOrder.reduce(inputs, 0, length, op, out, 0, 0, length);
        return out;
    }

    private static List<Ranks.Outcome<float[]>> allReduce(boolean tcp, int n, int length, ReduceOp op) {
        Ranks.RankBody<float[]> body = c -> {
            float[] padded = new float[length + 3];
            System.arraycopy(input(c.rank(), length), 0, padded, 2, length);
            padded[0] = 7f;
            padded[length + 2] = 9f;
            c.allReduce(padded, 2, length, op);
            assertEquals(7f, padded[0], "an all-reduce wrote before its range");
            assertEquals(9f, padded[length + 2], "an all-reduce wrote after its range");
            return java.util.Arrays.copyOfRange(padded, 2, 2 + length);
        };
        return tcp ? Ranks.tcp(n, TIMEOUT, body) : Ranks.inProcess(n, TIMEOUT, body);
    }

    /** 200,003 floats over 3 ranks: chunks of ~66,668 floats, so every chunk travels as two segments. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void allReduceGivesTheReferenceBitsOnEveryRank(boolean tcp) {
        for (int n : new int[] {1, 2, 3}) {
            for (int length : new int[] {0, 1, 2, 5, 200_003}) {
                for (ReduceOp op : ReduceOp.values()) {
                    float[] want = reference(n, length, op);
                    List<Ranks.Outcome<float[]>> got = allReduce(tcp, n, length, op);
                    for (int r = 0; r < n; r++) {
                        assertArrayEquals(want, got.get(r).get(), "rank " + r + " of " + n + ", " + length
                                + " floats, " + op + (tcp ? " (tcp)" : " (in-process)"));
                    }
                }
            }
        }
    }

    /**
     * The ring order is a real float sum: within n-1 roundings of the exact (double) sum, each rounding at most
     * half an ulp of a partial sum, bounded by (n-1) * 2^-24 * sum of |x|.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void ringOrderIsASumWithinRoundingOfTheExactOne(int n) {
        int length = 1001;
        float[] got = reference(n, length, ReduceOp.SUM);
        for (int i = 0; i < length; i++) {
            double exact = 0;
            double magnitude = 0;
            for (int r = 0; r < n; r++) {
                exact += input(r, length)[i];
                magnitude += Math.abs(input(r, length)[i]);
            }
            assertEquals(exact, got[i], (n - 1) * Math.ulp(1f) / 2 * magnitude + Float.MIN_VALUE, "element " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void broadcastCopiesTheRootsBufferAndBarrierReturns(boolean tcp) {
        int n = 3;
        int length = 150_000;
        Ranks.RankBody<float[]> body = c -> {
            float[] v = input(c.rank(), length);
            c.broadcast(v, 1);
            c.barrier();
            return v;
        };
        List<Ranks.Outcome<float[]>> got = tcp ? Ranks.tcp(n, TIMEOUT, body) : Ranks.inProcess(n, TIMEOUT, body);
        for (int r = 0; r < n; r++) {
            assertArrayEquals(input(1, length), got.get(r).get(), "rank " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void buffersOfDifferentLengthsFailEveryRank(boolean tcp) {
        Ranks.RankBody<float[]> body = c -> {
            float[] v = new float[c.rank() == 1 ? 10 : 12];
            c.allReduce(v, ReduceOp.SUM);
            return v;
        };
        List<Ranks.Outcome<float[]>> got = tcp ? Ranks.tcp(3, Duration.ofSeconds(2), body)
                : Ranks.inProcess(3, Duration.ofSeconds(2), body);
        for (int r = 0; r < 3; r++) {
            assertInstanceOf(CollectiveException.class, got.get(r).error(), "rank " + r + " did not fail");
        }
    }

    /** Rank 1 never calls the all-reduce: the others fail after the timeout, naming it. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aHungRankIsNamedByEveryOtherRank(boolean tcp) {
        Ranks.RankBody<float[]> body = c -> {
            if (c.rank() == 1) {
                Thread.sleep(4000); // hung past the others' timeout
                return null;
            }
            float[] v = new float[100];
            c.allReduce(v, ReduceOp.SUM);
            return v;
        };
        Duration timeout = Duration.ofMillis(500);
        List<Ranks.Outcome<float[]>> got = tcp ? Ranks.tcp(3, timeout, body) : Ranks.inProcess(3, timeout, body);
        for (int r : new int[] {0, 2}) {
            Throwable e = got.get(r).error();
            assertInstanceOf(CollectiveException.class, e, "rank " + r);
            assertTrue(e.getMessage().matches(".*rank 1 (sent nothing|did not reach).*"),
                    "rank " + r + " should name rank 1: " + e.getMessage());
        }
        assertNull(got.get(1).error());
    }

    /** Rank 1 closes its connections (as a killed process's are): the others fail at once, naming it. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aDeadRankIsNamedByEveryOtherRank(boolean tcp) {
        Ranks.RankBody<float[]> body = c -> {
            float[] v = new float[100];
            if (c.rank() == 1) {
                c.close();
                return v;
            }
            c.allReduce(v, ReduceOp.SUM);
            return v;
        };
        Duration timeout = Duration.ofSeconds(30);
        long start = System.nanoTime();
        List<Ranks.Outcome<float[]>> got = tcp ? Ranks.tcp(3, timeout, body) : Ranks.inProcess(3, timeout, body);
        for (int r : new int[] {0, 2}) {
            Throwable e = got.get(r).error();
            assertInstanceOf(CollectiveException.class, e, "rank " + r);
            assertTrue(e.getMessage().matches(".*rank 1 closed.*"), "rank " + r + " should name rank 1: "
                    + e.getMessage());
        }
        assertTrue(System.nanoTime() - start < timeout.toNanos(), "a closed rank was noticed only by the timeout");
    }
}
