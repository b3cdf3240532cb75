package org.cnn4j.distributed;

import java.time.Duration;

import org.cnn4j.tensor.Tensor;

/**
 * Communication among the {@link #worldSize()} ranks of a data-parallel job. Every rank calls the same operations
 * in the same order with buffers of the same length; each call blocks until the operation completes on this rank.
 *
 * <p>Failure is never a hang: an operation that cannot complete within {@link #timeout()} (a rank died, hung, or
 * called a different operation) throws {@link CollectiveException} naming the rank at fault, on every rank that is
 * still alive. After an exception the collective is broken and only {@link #close()} is allowed.
 *
 * <p>Results are reproducible and identical on every rank: an all-reduce sums each element in a fixed order that
 * depends only on the world size, the buffer length and the element's position ({@link RingOrder}), never on
 * timing, so every rank holds the same bits.
 *
 * <p>Implementations: {@link InProcessGroup} (threads in one JVM: the multi-GPU-in-one-process path) and
 * {@link TcpRingCollective} (a ring over TCP between processes or machines). NCCL is the planned implementation for
 * GPUs: it would override the {@link Tensor} methods to reduce device memory in place, without the host copy that
 * the defaults here make.
 */
public interface Collective extends AutoCloseable {

    /** This process's (or thread's) rank, 0 &lt;= rank &lt; worldSize. */
    int rank();

    int worldSize();

    /** How long an operation may wait for the other ranks before it fails. */
    Duration timeout();

    /** Replaces {@code buffer[offset, offset + length)} by the element-wise reduction over all ranks. */
    void allReduce(float[] buffer, int offset, int length, ReduceOp op);

    /** Copies {@code buffer[offset, offset + length)} of rank {@code root} into the same range on every rank. */
    void broadcast(float[] buffer, int offset, int length, int root);

    /** Returns once every rank has called it. */
    void barrier();

    default void allReduce(float[] buffer, ReduceOp op) {
        allReduce(buffer, 0, buffer.length, op);
    }

    default void broadcast(float[] buffer, int root) {
        broadcast(buffer, 0, buffer.length, root);
    }

    /** All-reduces a tensor in place (through host memory; a device collective such as NCCL overrides this). */
    default void allReduce(Tensor tensor, ReduceOp op) {
        float[] host = tensor.toFloatArray();
        allReduce(host, op);
        tensor.backend().write(tensor, host, 0);
    }

    /** Broadcasts a tensor from {@code root} in place (through host memory). */
    default void broadcast(Tensor tensor, int root) {
        float[] host = tensor.toFloatArray();
        broadcast(host, root);
        tensor.backend().write(tensor, host, 0);
    }

    /** Releases the connections; never throws. */
    @Override
    void close();

    /** Checks the arguments every implementation shares; throws IllegalArgumentException naming the bad one. */
    static void checkRange(float[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new IllegalArgumentException("collective: range [" + offset + ", " + offset + " + " + length
                    + ") is outside a buffer of " + buffer.length + " floats");
        }
    }
}
