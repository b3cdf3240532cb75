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
import org.cnn4j.optim.Optimizer;
import org.cnn4j.tensor.DType;
import org.cnn4j.tensor.Tensor;

/**
 * A training checkpoint in one safetensors file, written atomically: the model's state_dict under its own
 * (PyTorch) key names, so the file doubles as a weights file, plus the optimizer state under
 * {@value #OPTIMIZER_PREFIX} keys, and in {@code __metadata__} the config, the epochs completed, the best
 * accuracy so far, the metrics history and the optimizer's metadata.
 */
public final class Checkpoint {
    /** Prefix of optimizer-state keys; '/' never occurs in module names, so they cannot collide. */
    public static final String OPTIMIZER_PREFIX = "optimizer/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoint() {
    }

    /** What a checkpoint restores besides the tensors. */
    public record State(TrainConfig config, int epochsDone, double bestAccuracy, List<EpochResult> history) {
    }

    public static void save(Path file, Module model, Optimizer optimizer, State state) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
        Map<String, DType> dtypes = new LinkedHashMap<>();
        for (String name : model.integerBufferNames()) {
            dtypes.put(name, DType.INT64);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "cnn4j-checkpoint-1");
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

    /** Reads a checkpoint's bookkeeping (config, epoch, history) without loading tensors. */
    public static State readState(Path file) throws IOException {
        Map<String, String> meta = Safetensors.readHeader(file).metadata();
        if (!"cnn4j-checkpoint-1".equals(meta.get("format"))) {
            throw new IOException(file + ": not a cnn4j training checkpoint (no format=cnn4j-checkpoint-1 in its"
                    + " metadata); a plain weights file cannot be resumed");
        }
        try {
            return new State(JSON.readValue(meta.get("config"), TrainConfig.class),
                    Integer.parseInt(meta.get("epochs_done")), Double.parseDouble(meta.get("best_accuracy")),
                    JSON.readValue(meta.get("history"), new TypeReference<List<EpochResult>>() { }));
        } catch (RuntimeException | IOException e) {
            throw new IOException(file + ": corrupt checkpoint metadata: " + e.getMessage(), e);
        }
    }

    /** Loads weights (strictly) and, when {@code optimizer} is non-null, the optimizer state. */
    public static void restore(Path file, Module model, Optimizer optimizer, Backend backend) throws IOException {
        Map<String, Tensor> all = Safetensors.load(file, backend);
        try {
            model.loadStateDict(weightsOnly(all));
            if (optimizer != null) {
                Map<String, Tensor> opt = new LinkedHashMap<>();
                all.forEach((k, v) -> {
                    if (k.startsWith(OPTIMIZER_PREFIX)) {
                        opt.put(k.substring(OPTIMIZER_PREFIX.length()), v);
                    }
                });
                Map<String, String> meta = new LinkedHashMap<>();
                Safetensors.readHeader(file).metadata().forEach((k, v) -> {
                    if (k.startsWith(OPTIMIZER_PREFIX)) {
                        meta.put(k.substring(OPTIMIZER_PREFIX.length()), v);
                    }
                });
                optimizer.loadStateDict(opt, meta);
            }
        } finally {
            all.values().forEach(Tensor::close);
        }
    }

    /** The model's tensors of a checkpoint or weights file (drops optimizer state). */
    public static Map<String, Tensor> weightsOnly(Map<String, Tensor> all) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (!k.startsWith(OPTIMIZER_PREFIX)) {
                weights.put(k, v);
            }
        });
        return weights;
    }
}
