package org.cnn4j.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Everything that determines a training run; stored in checkpoints so that {@code --resume} continues with the
 * same settings.
 */
public record TrainConfig(
        @JsonProperty("model") String model,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("epochs") int epochs,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("lr") double lr,
        @JsonProperty("optimizer") String optimizer,
        @JsonProperty("momentum") double momentum,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("schedule") String schedule,
        @JsonProperty("warmup_epochs") int warmupEpochs,
        @JsonProperty("seed") long seed,
        @JsonProperty("limit_train") int limitTrain,
        @JsonProperty("limit_test") int limitTest,
        @JsonProperty("augment") boolean augment,
        @JsonProperty("label_smoothing") double labelSmoothing,
        @JsonProperty("early_stopping_patience") int earlyStoppingPatience) {

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
    }

    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(model, dataset, newEpochs, batchSize, lr, optimizer, momentum, weightDecay, schedule,
                warmupEpochs, seed, limitTrain, limitTest, augment, labelSmoothing, earlyStoppingPatience);
    }
}
