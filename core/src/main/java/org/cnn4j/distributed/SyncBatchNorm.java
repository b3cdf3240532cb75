package org.cnn4j.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cnn4j.autograd.Autograd;
import org.cnn4j.backend.Backend;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Batch normalisation whose training statistics span every rank's batch, PyTorch's {@code SyncBatchNorm}: N ranks
 * with B examples each normalise as one process with N*B would. Forward gathers each rank's per-channel count, mean
 * and sum of squared deviations (one all-reduce of {@code worldSize * 3 * C} double values, sent as two floats
 * each) and combines them with Chan's parallel-variance formula in rank order, in double precision, so every rank
 * computes the same statistics. Backward all-reduces the per-channel sums of {@code dy} and {@code dy * xhat} the
 * same way and gives each rank the gradient of the sum of all ranks' losses with respect to its own input;
 * {@link DistributedDataParallel}'s averaging then makes every gradient that of the mean loss of the global batch.
 * The weight and bias gradients stay local (rank r's loss through rank r's outputs), as in PyTorch.
 *
 * <p>The statistics are computed on the host from a copy of the activations: simple and exact, a device collective
 * (NCCL) would keep them on the device.
 */
public final class SyncBatchNorm implements BatchNorm2d.TrainingNorm {
    private final Collective collective;

    public SyncBatchNorm(Collective collective) {
        this.collective = Objects.requireNonNull(collective, "collective");
    }

    /**
     * PyTorch's {@code convert_sync_batchnorm}: makes every {@link BatchNorm2d} (and {@code BatchNorm1d}) of
     * {@code model} normalise with statistics synchronised over {@code collective} in training. The layers are
     * switched in place, so their parameters, buffers, state-dict keys and every reference to them stay as they
     * were. With {@link DistributedDataParallel}, pass its {@link DistributedDataParallel#collective()}, the one the
     * gradient buckets travel on, so that every rank issues the two kinds of operation in the same order.
     *
     * @return the qualified names of the layers switched
     */
    public static List<String> convert(Module model, Collective collective) {
        SyncBatchNorm sync = new SyncBatchNorm(collective);
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof BatchNorm2d bn) {
                bn.setTrainingNorm(sync);
                names.add(e.getKey());
            }
        }
        return names;
    }

    public Collective collective() {
        return collective;
    }

    @Override
    public Tensor apply(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, float momentum,
                        float eps) {
        int n = x.dim(0);
        int c = x.dim(1);
        int inner = Math.toIntExact(x.numel() / ((long) n * c));
        float[] xv = x.toFloatArray();
        double[] local = new double[3 * c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int k = 0; k < inner; k++) {
                    sum += xv[base + k];
                }
            }
            long count = (long) n * inner;
            double mean = count > 0 ? sum / count : 0;
            double m2 = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int k = 0; k < inner; k++) {
                    double d = xv[base + k] - mean;
                    m2 += d * d;
                }
            }
            local[ch] = count;
            local[c + ch] = mean;
            local[2 * c + ch] = m2;
        }
        double[][] all = allGather(local);
        double[] mean = new double[c];
        double[] invStd = new double[c];
        float[] rm = runningMean.toFloatArray();
        float[] rv = runningVar.toFloatArray();
        double total = 0;
        for (int ch = 0; ch < c; ch++) {
            total = 0;
            double weighted = 0;
            for (double[] r : all) {
                total += r[ch];
                weighted += r[ch] * r[c + ch];
            }
            if (total < 2) {
                throw new IllegalArgumentException("sync_batch_norm: expected more than 1 value per channel over all"
                        + " ranks when training, got " + (long) total + " (input of shape " + x.shape() + " on rank "
                        + collective.rank() + ")");
            }
            double m = weighted / total;
            double m2 = 0;
            for (double[] r : all) {
                double d = r[c + ch] - m;
                m2 += r[2 * c + ch] + r[ch] * d * d;
            }
            mean[ch] = m;
            invStd[ch] = 1.0 / Math.sqrt(m2 / total + eps);
            rm[ch] = (float) ((1.0 - momentum) * rm[ch] + momentum * m);
            rv[ch] = (float) ((1.0 - momentum) * rv[ch] + momentum * (m2 / (total - 1)));
        }
        Backend be = x.backend();
        be.write(runningMean, rm, 0);
        be.write(runningVar, rv, 0);
        float[] g = gamma.toFloatArray();
        float[] b = beta.toFloatArray();
        float[] y = new float[xv.length];
        for (int ch = 0; ch < c; ch++) {
            // the CPU kernel's float arithmetic: one process and N ranks then differ only in the statistics' last bits
            float m = (float) mean[ch];
            float s = (float) (invStd[ch] * g[ch]);
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int k = 0; k < inner; k++) {
                    y[base + k] = (xv[base + k] - m) * s + b[ch];
                }
            }
        }
        double count = total;
        double[] savedMean = new double[c]; // saved as floats, as the CPU kernel saves them for its backward
        double[] savedInvStd = new double[c];
        for (int ch = 0; ch < c; ch++) {
            savedMean[ch] = (float) mean[ch];
            savedInvStd[ch] = (float) invStd[ch];
        }
        return Autograd.record(Tensor.of(be, y, x.shape()), "sync_batch_norm", new Tensor[] {x, gamma, beta},
                dy -> backward(x, gamma, dy, savedMean, savedInvStd, count));
    }

    /**
     * With xhat = (x - mean) * invStd and sums over every rank's batch of M values per channel:
     * dx = gamma * invStd * (dy - sum(dy) / M - xhat * sum(dy * xhat) / M); dgamma and dbeta are this rank's sums.
     */
    private Tensor[] backward(Tensor x, Tensor gamma, Tensor dyTensor, double[] mean, double[] invStd, double count) {
        int n = x.dim(0);
        int c = x.dim(1);
        int inner = Math.toIntExact(x.numel() / ((long) n * c));
        float[] xv = x.toFloatArray();
        float[] dy = dyTensor.toFloatArray();
        float[] g = gamma.toFloatArray();
        double[] local = new double[2 * c]; // per channel: sum of dy, sum of dy * (x - mean)
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * inner;
                for (int k = 0; k < inner; k++) {
                    local[ch] += dy[base + k];
                    local[c + ch] += dy[base + k] * (xv[base + k] - mean[ch]);
                }
            }
        }
        double[][] all = allGather(local);
        float[] dx = new float[xv.length];
        for (int ch = 0; ch < c; ch++) {
            double sumDy = 0;
            double sumDyCentred = 0;
            for (double[] r : all) {
                sumDy += r[ch];
                sumDyCentred += r[c + ch];
            }
            double scale = g[ch] * invStd[ch];
            double meanDy = sumDy / count;
            double meanDyXhat = sumDyCentred * invStd[ch] / count;
            // dx = scale * (dy - meanDy - (x - mean) * invStd * meanDyXhat) in the CPU kernel's float form
            float fDy = (float) scale;
            float fX = (float) (-scale * invStd[ch] * meanDyXhat);
            float f0 = (float) (scale * (invStd[ch] * meanDyXhat * mean[ch] - meanDy));
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                for (int k = 0; k < inner; k++) {
                    dx[base + k] = fDy * dy[base + k] + fX * xv[base + k] + f0;
                }
            }
        }
        float[] dgamma = new float[c];
        float[] dbeta = new float[c];
        for (int ch = 0; ch < c; ch++) {
            dbeta[ch] = (float) local[ch];
            dgamma[ch] = (float) (local[c + ch] * invStd[ch]);
        }
        Backend be = x.backend();
        Shape cs = Shape.of(c);
        return new Tensor[] {Tensor.of(be, dx, x.shape()), Tensor.of(be, dgamma, cs), Tensor.of(be, dbeta, cs)};
    }

    /**
     * Every rank's {@code local} values, exactly, indexed by rank: each rank writes its values into its own slot of a
     * zeroed buffer, as a float and its rounding remainder, and the buffer is summed over the ranks; adding zeros is
     * exact, so the sum is a gather of about 48-bit values.
     */
    private double[][] allGather(double[] local) {
        int ranks = collective.worldSize();
        int len = local.length;
        float[] buffer = new float[ranks * 2 * len];
        int at = collective.rank() * 2 * len;
        for (int i = 0; i < len; i++) {
            float high = (float) local[i];
            buffer[at + 2 * i] = high;
            buffer[at + 2 * i + 1] = (float) (local[i] - high);
        }
        collective.allReduce(buffer, ReduceOp.SUM);
        double[][] out = new double[ranks][len];
        for (int r = 0; r < ranks; r++) {
            for (int i = 0; i < len; i++) {
                out[r][i] = (double) buffer[(r * len + i) * 2] + buffer[(r * len + i) * 2 + 1];
            }
        }
        return out;
    }
}
