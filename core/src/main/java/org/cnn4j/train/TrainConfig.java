package org.cnn4j.train;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Everything that determines a training run, stored in every checkpoint so that a resumed run continues with the
 * same settings (and gives the same weights as an uninterrupted one). Build one with {@link #builder}; the JSON
 * names are those of checkpoints and metrics.json. Fields that older checkpoints lack read as 0, false or null
 * and mean the default, like 0 in {@link #accumulationSteps} (1) or {@link #headLrMult} (1).
 *
 * @param model                 the model's registry name (informational for {@link Fit}, which is handed the model)
 * @param dataset               the dataset's name (informational, as the model)
 * @param imageSize             image side the dataset is resized to, 0 for the dataset's own size
 * @param earlyStoppingPatience stop after this many epochs without a better {@link #monitor} value (0: never)
 * @param monitor               what the best checkpoint, early stopping and the plateau schedule watch
 * @param onNonFinite           what a NaN or infinite loss or gradient does
 * @param accumulationSteps     batches whose gradients are summed (as a mean) into one optimizer step
 * @param emaDecay              exponential moving average of the weights with this decay (0: off); when on, the
 *                              averaged weights are evaluated and are the model weights of every checkpoint
 * @param plateauFactor         the plateau schedule's factor (0: PyTorch's 0.1)
 * @param plateauPatience       the plateau schedule's patience in epochs
 * @param freeze                parameters whose qualified names start with one of these do not train
 * @param freezeBackbone        only the head (parameters under {@link #headPrefix}) trains
 * @param headPrefix            the classifier head's name prefix, e.g. {@code "fc."}; null when unknown
 * @param headLrMult            the head's learning rate is this multiple of the others' (0: 1)
 * @param weights               the weights file the run started from (informational), or null
 */
public record TrainConfig(
        @JsonProperty("model") String model,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("epochs") int epochs,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("lr") double lr,
        @JsonProperty("optimizer") OptimizerKind optimizer,
        @JsonProperty("momentum") double momentum,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("schedule") ScheduleKind schedule,
        @JsonProperty("warmup_epochs") int warmupEpochs,
        @JsonProperty("seed") long seed,
        @JsonProperty("limit_train") int limitTrain,
        @JsonProperty("limit_test") int limitTest,
        @JsonProperty("augment") boolean augment,
        @JsonProperty("label_smoothing") double labelSmoothing,
        @JsonProperty("early_stopping_patience") int earlyStoppingPatience,
        @JsonProperty("image_size") int imageSize,
        @JsonProperty("monitor") Metric monitor,
        @JsonProperty("on_non_finite") NonFinitePolicy onNonFinite,
        @JsonProperty("accumulation_steps") int accumulationSteps,
        @JsonProperty("ema_decay") double emaDecay,
        @JsonProperty("plateau_factor") double plateauFactor,
        @JsonProperty("plateau_patience") int plateauPatience,
        @JsonProperty("freeze") List<String> freeze,
        @JsonProperty("freeze_backbone") boolean freezeBackbone,
        @JsonProperty("head_prefix") String headPrefix,
        @JsonProperty("head_lr_mult") double headLrMult,
        @JsonProperty("weights") String weights) {

    /** The largest image side a config accepts (a 3-channel image of it is 192 MiB of floats). */
    public static final int MAX_IMAGE_SIZE = 4096;
    /** The most floats one Java array (one batch) can hold on common JVMs. */
    public static final long MAX_BATCH_FLOATS = Integer.MAX_VALUE - 8;

    public TrainConfig {
        optimizer = optimizer == null ? OptimizerKind.ADAM : optimizer;
        schedule = schedule == null ? ScheduleKind.NONE : schedule;
        monitor = monitor == null ? Metric.TEST_ACCURACY : monitor;
        onNonFinite = onNonFinite == null ? NonFinitePolicy.STOP : onNonFinite;
        accumulationSteps = accumulationSteps == 0 ? 1 : accumulationSteps;
        plateauFactor = plateauFactor == 0 ? 0.1 : plateauFactor;
        headLrMult = headLrMult == 0 ? 1 : headLrMult;
        freeze = freeze == null ? List.of() : List.copyOf(freeze);
        check(epochs >= 1, "epochs must be >= 1, got " + epochs);
        check(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        check(lr > 0 && lr < Double.POSITIVE_INFINITY, "learning rate must be a finite number > 0, got " + lr);
        check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        check(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY, "weight decay must be >= 0, got "
                + weightDecay);
        check(warmupEpochs >= 0, "warmup epochs must be >= 0, got " + warmupEpochs);
        check(limitTrain >= 0 && limitTest >= 0, "limits must be >= 0 (0: all), got " + limitTrain + ", "
                + limitTest);
        check(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1), got " + labelSmoothing);
        check(earlyStoppingPatience >= 0, "early stopping patience must be >= 0, got " + earlyStoppingPatience);
        check(imageSize >= 0 && imageSize <= MAX_IMAGE_SIZE, "image size must be in [0, " + MAX_IMAGE_SIZE
                + "] (0: the dataset's own), got " + imageSize);
        checkBatchFits(batchSize, 3, imageSize, imageSize);
        check(accumulationSteps >= 1, "accumulation steps must be >= 1, got " + accumulationSteps);
        check(emaDecay >= 0 && emaDecay < 1, "EMA decay must be in [0, 1) (0: off), got " + emaDecay);
        check(plateauFactor > 0 && plateauFactor < 1, "plateau factor must be in (0, 1), got " + plateauFactor);
        check(plateauPatience >= 0, "plateau patience must be >= 0, got " + plateauPatience);
        check(headLrMult > 0 && headLrMult < Double.POSITIVE_INFINITY, "head lr multiplier must be > 0, got "
                + headLrMult);
        check(!(freezeBackbone || headLrMult != 1) || (headPrefix != null && !headPrefix.isEmpty()),
                "freezing the backbone or a head lr multiplier needs the head's name prefix");
    }

    /**
     * Fails unless a batch of {@code batchSize} images of {@code channels x height x width} fits in one Java array
     * (the loader builds each batch as one float array): a clear message instead of an overflow.
     */
    public static void checkBatchFits(int batchSize, int channels, int height, int width) {
        long floats = (long) batchSize * channels * height * width;
        check(floats <= MAX_BATCH_FLOATS, String.format(Locale.ROOT, "a batch of %d images of %dx%dx%d is %,d"
                + " floats, more than one Java array holds (%,d): use a smaller image size or batch size", batchSize,
                channels, height, width, floats, MAX_BATCH_FLOATS));
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder with the defaults of {@code cnn train} for {@code model} on {@code dataset}. */
    public static TrainConfigBuilder builder(String model, String dataset) {
        return new TrainConfigBuilder(model, dataset);
    }

    /** A builder holding this config's values. */
    public TrainConfigBuilder toBuilder() {
        return new TrainConfigBuilder(this);
    }

    /**
     * The settings other than the number of epochs in which this config differs from {@code saved}, e.g.
     * {@code "lr 0.01 instead of 0.003"}; a resume is allowed only when there are none.
     */
    public List<String> changesFrom(TrainConfig saved) {
        return ConfigDiff.differences(saved, this);
    }

    public TrainConfig withEpochs(int newEpochs) {
        return toBuilder().epochs(newEpochs).build();
    }
}
