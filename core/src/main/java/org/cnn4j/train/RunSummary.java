package org.cnn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnn4j.io.AtomicFiles;

/** The contents of metrics.json (and, per epoch, metrics.csv) of a training run. */
public record RunSummary(
        @JsonProperty("model") String model,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("data_source") String dataSource,
        @JsonProperty("backend") String backend,
        @JsonProperty("backend_description") String backendDescription,
        @JsonProperty("params") long params,
        @JsonProperty("seed") long seed,
        @JsonProperty("config") TrainConfig config,
        @JsonProperty("epochs") List<EpochResult> epochs,
        @JsonProperty("final_test_accuracy") double finalTestAccuracy,
        @JsonProperty("final_test_top5_accuracy") double finalTestTop5Accuracy,
        @JsonProperty("best_test_accuracy") double bestTestAccuracy,
        @JsonProperty("monitor") Metric monitor,
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("best_value") double bestValue,
        @JsonProperty("class_names") List<String> classNames,
        @JsonProperty("confusion_matrix") long[][] confusionMatrix,
        @JsonProperty("non_finite_outputs") long nonFiniteOutputs) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes metrics.json and metrics.csv into {@code dir}, each atomically. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("metrics.json"), JSON.writeValueAsString(this) + "\n");
        StringBuilder csv = new StringBuilder(EpochResult.CSV_HEADER).append('\n');
        for (EpochResult e : epochs) {
            csv.append(e.csvRow()).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("metrics.csv"), csv.toString());
    }
}
