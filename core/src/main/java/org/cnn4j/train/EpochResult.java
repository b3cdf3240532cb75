package org.cnn4j.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What one epoch produced; field names are those of metrics.json and metrics.csv. */
public record EpochResult(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("lr") double lr,
        @JsonProperty("train_loss") double trainLoss,
        @JsonProperty("train_accuracy") double trainAccuracy,
        @JsonProperty("test_loss") double testLoss,
        @JsonProperty("test_accuracy") double testAccuracy,
        @JsonProperty("test_top5_accuracy") double testTop5Accuracy,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("images_per_second") double imagesPerSecond) {

    static final String CSV_HEADER = "epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy,"
            + "test_top5_accuracy,seconds,images_per_second";

    String csvRow() {
        return String.format(java.util.Locale.ROOT, "%d,%.6g,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f", epoch, lr,
                trainLoss, trainAccuracy, testLoss, testAccuracy, testTop5Accuracy, seconds, imagesPerSecond);
    }
}
