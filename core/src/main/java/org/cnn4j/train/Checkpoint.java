package org.cnn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnn4j.backend.Backend;
import org.cnn4j.io.Safetensors;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.StateDictException;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Tensor;

/**
 * A training checkpoint in one safetensors file, written atomically: the model's state_dict under its own
 * (PyTorch) key names, so the file doubles as a weights file, plus the optimizer state under
 * {@value #OPTIMIZER_PREFIX} keys, and in {@code __metadata__} the config, the epochs completed, the best test
 * accuracy so far, the metrics history and the optimizer's metadata. With an {@link Ema}, the model keys hold the
 * averaged weights (those that were evaluated, and that a user deploys) and the trained weights are kept under
 * {@value #LIVE_PREFIX} keys for resuming.
 */
public final class Checkpoint {
    /** Prefix of optimizer-state keys; '/' never occurs in module names, so they cannot collide. */
    public static final String OPTIMIZER_PREFIX = "optimizer/";
    /** Prefix of the trained (not averaged) weights of a run with an EMA. */
    public static final String LIVE_PREFIX = "live/";
    static final String FORMAT = "cnn4j-checkpoint-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {
    }

    /** What a checkpoint restores besides the tensors. */
    public record State(TrainConfig config, int epochsDone, double bestAccuracy, List<EpochResult> history) {
        public State {
            history = List.copyOf(history);
        }
    }

    public static void save(Path file, Module model, Optimizer optimizer, State state) throws IOException {
        save(file, model, optimizer, null, state);
    }

    /** Saves the model (or, with {@code ema}, the average and the trained weights), optimizer and state. */
    public static void save(Path file, Module model, Optimizer optimizer, Ema ema, State state) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(ema == null ? model.stateDict() : ema.averaged());
        Map<String, DType> dtypes = new LinkedHashMap<>();
        for (String name : model.integerBufferNames()) {
            dtypes.put(name, DType.INT64);
        }
        if (ema != null) {
            model.stateDict().forEach((k, v) -> tensors.put(LIVE_PREFIX + k, v));
            model.integerBufferNames().forEach(name -> dtypes.put(LIVE_PREFIX + name, DType.INT64));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("config", JSON.writeValueAsString(state.config()));
        meta.put("epochs_done", Integer.toString(state.epochsDone()));
        meta.put("best_accuracy", Double.toString(state.bestAccuracy()));
        meta.put("history", JSON.writeValueAsString(state.history()));
        if (optimizer != null) {
            optimizer.stateDict().forEach((k, v) -> tensors.put(OPTIMIZER_PREFIX + k, v));
            optimizer.stateMetadata().forEach((k, v) -> meta.put(OPTIMIZER_PREFIX + k, v));
        }
        Safetensors.save(file, tensors, meta, dtypes);
    }

    /**
     * Reads a checkpoint's bookkeeping (config, epoch, history) without loading tensors. Metadata that is
     * missing, malformed or inconsistent fails with one line naming the file and the entry.
     */
    public static State readState(Path file) throws IOException {
        Map<String, String> meta = Safetensors.readHeader(file).metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IOException(file + ": not a cnn4j training checkpoint (no format=" + FORMAT + " in its"
                    + " metadata); a plain weights file cannot be resumed");
        }
        TrainConfig config = CheckpointMetadata.parse(file, meta, "config", TrainConfig.class);
        List<EpochResult> history = CheckpointMetadata.parse(file, meta, "history",
                new TypeReference<List<EpochResult>>() { });
        int epochsDone = CheckpointMetadata.epochsDone(file, meta, config, history);
        double best = history.stream().mapToDouble(EpochResult::testAccuracy).filter(Double::isFinite).max()
                .orElse(-1);
        return new State(config, epochsDone, best, history);
    }

    /** Loads weights (strictly) and, when {@code optimizer} is non-null, the optimizer state. */
    public static void restore(Path file, Module model, Optimizer optimizer, Backend backend) throws IOException {
        restore(file, model, optimizer, null, backend);
    }

    /**
     * Loads the trained weights (strictly), the optimizer state when {@code optimizer} is non-null, and the
     * average when {@code ema} is non-null. Weights or state holding NaN or infinities are refused.
     */
    public static void restore(Path file, Module model, Optimizer optimizer, Ema ema, Backend backend)
            throws IOException {
        Map<String, Tensor> all = Safetensors.load(file, backend);
        try {
            FiniteCheck.requireFiniteWeights(all, file.toString());
            Map<String, Tensor> weights = weightsOnly(all);
            Map<String, Tensor> live = withPrefix(all, LIVE_PREFIX);
            if (ema != null && live.isEmpty()) {
                throw new IOException(file + ": the run averages its weights (EMA) but the checkpoint holds no "
                        + LIVE_PREFIX + " weights");
            }
            try {
                model.loadStateDict(ema == null ? weights : live);
            } catch (StateDictException e) {
                throw new IllegalArgumentException(file + " does not fit the model: " + e.getMessage(), e);
            }
            if (ema != null) {
                ema.load(weights);
            }
            if (optimizer != null) {
                Map<String, String> meta = new LinkedHashMap<>();
                Safetensors.readHeader(file).metadata().forEach((k, v) -> {
                    if (k.startsWith(OPTIMIZER_PREFIX)) {
                        meta.put(k.substring(OPTIMIZER_PREFIX.length()), v);
                    }
                });
                try {
                    optimizer.loadStateDict(withPrefix(all, OPTIMIZER_PREFIX), meta);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
                }
            }
        } finally {
            all.values().forEach(Tensor::close);
        }
    }

    /** The model's tensors of a checkpoint or weights file (drops optimizer state and trained EMA weights). */
    public static Map<String, Tensor> weightsOnly(Map<String, Tensor> all) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (!k.startsWith(OPTIMIZER_PREFIX) && !k.startsWith(LIVE_PREFIX)) {
                weights.put(k, v);
            }
        });
        return weights;
    }

    private static Map<String, Tensor> withPrefix(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
