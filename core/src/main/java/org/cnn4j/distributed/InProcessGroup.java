package org.cnn4j.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code n} ranks in one JVM, one thread each (the path for several GPUs driven from one process). Ranks exchange
 * buffers through shared memory; each rank reduces its own chunk in {@link RingOrder}, so the results are the same
 * bits as the TCP ring's. A rank that does not arrive within the timeout, closes, or calls a different operation
 * makes every waiting rank fail naming it.
 */
public final class InProcessGroup {
    private final int size;
    private final Duration timeout;
    private final Object lock = new Object();
    private final Op[] ops;
    /** The operations of the last operation's first phase, valid until every rank has finished it. */
    private final Op[] current;
    private final boolean[] arrived;
    private int count;
    private long generation;
    private String broken;
    private float[] result;

    private record Op(String kind, int length, ReduceOp reduce, int root, float[] buffer, int offset) {
        String describe() {
            return kind + " of " + length + " floats" + (reduce != null ? " (" + reduce + ")" : "")
                    + (root >= 0 ? " from rank " + root : "");
        }
    }

    private InProcessGroup(int size, Duration timeout) {
        this.size = size;
        this.timeout = timeout;
        this.ops = new Op[size];
        this.current = new Op[size];
        this.arrived = new boolean[size];
    }

    /** A group of {@code size} ranks; give {@link #member(int)} of each rank to its thread. */
    public static InProcessGroup create(int size, Duration timeout) {
        if (size < 1) {
            throw new IllegalArgumentException("InProcessGroup: expected a world size >= 1, got " + size);
        }
        Objects.requireNonNull(timeout, "timeout");
        return new InProcessGroup(size, timeout);
    }

    public Collective member(int rank) {
        if (rank < 0 || rank >= size) {
            throw new IllegalArgumentException("InProcessGroup: rank " + rank + " outside 0.." + (size - 1));
        }
        return new Member(rank);
    }

    /** All members, rank order. */
    public List<Collective> members() {
        List<Collective> out = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            out.add(member(r));
        }
        return out;
    }

    /** Waits until every rank arrived with {@code op} (null: phase end); the last to arrive checks agreement. */
    private void arrive(int rank, Op op) {
        synchronized (lock) {
            if (broken != null) {
                throw new CollectiveException("rank " + rank + ": " + broken);
            }
            long gen = generation;
            arrived[rank] = true;
            ops[rank] = op;
            if (++count == size) {
                trip();
                return;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (gen == generation && broken == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    broken = missingRanks() + " did not reach the collective within " + timeout.toMillis()
                            + " ms (dead or hung)";
                    lock.notifyAll();
                    break;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    broken = "rank " + rank + " was interrupted while waiting for the others";
                    lock.notifyAll();
                }
            }
            if (gen == generation) {
                throw new CollectiveException("rank " + rank + ": " + broken);
            }
        }
    }

    private void trip() {
        Op first = ops[0];
        for (int r = 1; r < size && first == null; r++) {
            if (ops[r] != null) {
                broken = "ranks disagree on the operation: rank " + r + " called " + ops[r].describe()
                        + " while rank 0 was still in the previous one";
            }
        }
        for (int r = 1; r < size && first != null; r++) {
            Op o = ops[r];
            if (o == null || !o.kind.equals(first.kind) || o.length != first.length || o.reduce != first.reduce
                    || o.root != first.root) {
                broken = "ranks disagree on the operation: rank 0 called " + first.describe() + ", rank " + r
                        + " called " + (o == null ? "a different one" : o.describe());
                break;
            }
        }
        if (broken != null) {
            lock.notifyAll(); // the waiting ranks see it in this generation and fail too
            throw new CollectiveException(broken);
        }
        if (first != null) {
            System.arraycopy(ops, 0, current, 0, size);
            if (first.kind.equals("allReduce") && (result == null || result.length < first.length)) {
                result = new float[first.length];
            }
        }
        count = 0;
        java.util.Arrays.fill(arrived, false);
        generation++;
        lock.notifyAll();
    }

    private String missingRanks() {
        StringBuilder sb = new StringBuilder();
        int missing = 0;
        for (int r = 0; r < size; r++) {
            if (!arrived[r]) {
                sb.append(missing++ == 0 ? "" : ", ").append(r);
            }
        }
        return (missing == 1 ? "rank " : "ranks ") + sb;
    }

    private void breakGroup(String why) {
        synchronized (lock) {
            if (broken == null) {
                broken = why;
            }
            lock.notifyAll();
        }
    }

    private final class Member implements Collective {
        private final int rank;

        Member(int rank) {
            this.rank = rank;
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public int worldSize() {
            return size;
        }

        @Override
        public Duration timeout() {
            return timeout;
        }

        @Override
        public void allReduce(float[] buffer, int offset, int length, ReduceOp op) {
            Collective.checkRange(buffer, offset, length);
            Objects.requireNonNull(op, "op");
            arrive(rank, new Op("allReduce", length, op, -1, buffer, offset));
            float[][] inputs = new float[size][];
            int[] offsets = new int[size];
            synchronized (lock) {
                for (int r = 0; r < size; r++) {
                    inputs[r] = current[r].buffer;
                    offsets[r] = current[r].offset;
                }
            }
            int from = RingOrder.chunkStart(rank, length, size);
            int to = RingOrder.chunkStart(rank + 1, length, size);
            reduceChunk(inputs, offsets, length, op, from, to);
            arrive(rank, null); // every chunk reduced, every input read
            System.arraycopy(result, 0, buffer, offset, length);
            arrive(rank, null); // every rank copied the result out before it is reused
        }

        private void reduceChunk(float[][] inputs, int[] offsets, int length, ReduceOp op, int from, int to) {
            if (allSameOffset(offsets)) {
                RingOrder.reduce(inputs, offsets[0], length, op, result, 0, from, to);
                return;
            }
            float[][] aligned = new float[size][];
            for (int r = 0; r < size; r++) {
                aligned[r] = java.util.Arrays.copyOfRange(inputs[r], offsets[r], offsets[r] + length);
            }
            RingOrder.reduce(aligned, 0, length, op, result, 0, from, to);
        }

        private boolean allSameOffset(int[] offsets) {
            for (int o : offsets) {
                if (o != offsets[0]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void broadcast(float[] buffer, int offset, int length, int root) {
            Collective.checkRange(buffer, offset, length);
            if (root < 0 || root >= size) {
                throw new IllegalArgumentException("broadcast: root " + root + " outside 0.." + (size - 1));
            }
            arrive(rank, new Op("broadcast", length, null, root, buffer, offset));
            Op source;
            synchronized (lock) {
                source = current[root];
            }
            if (rank != root) {
                System.arraycopy(source.buffer, source.offset, buffer, offset, length);
            }
            arrive(rank, null); // the root's buffer is read by all before it may change
        }

        @Override
        public void barrier() {
            arrive(rank, new Op("barrier", 0, null, -1, null, 0));
        }

        @Override
        public void close() {
            breakGroup("rank " + rank + " closed its collective");
        }
    }
}
