package org.cnn4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link TrainConfig}, starting from the defaults of {@code cnn train}: 3 epochs, batch 64, Adam at lr
 * 0.003 with momentum 0.9 (SGD only) and no weight decay, the onecycle schedule, seed 42, test accuracy
 * monitored, stop on a non-finite loss, no accumulation, no EMA.
 */
public final class TrainConfigBuilder {
    private String model;
    private String dataset;
    private int epochs = 3;
    private int batchSize = 64;
    private double lr = 0.003;
    private OptimizerKind optimizer = OptimizerKind.ADAM;
    private double momentum = 0.9;
    private double weightDecay;
    private ScheduleKind schedule = ScheduleKind.ONECYCLE;
    private int warmupEpochs;
    private long seed = 42;
    private int limitTrain;
    private int limitTest;
    private boolean augment;
    private double labelSmoothing;
    private int earlyStoppingPatience;
    private int imageSize;
    private Metric monitor = Metric.TEST_ACCURACY;
    private NonFinitePolicy onNonFinite = NonFinitePolicy.STOP;
    private int accumulationSteps = 1;
    private double emaDecay;
    private double plateauFactor = 0.1;
    private int plateauPatience = 10;
    private List<String> freeze = new ArrayList<>();
    private boolean freezeBackbone;
    private String headPrefix;
    private double headLrMult = 1;
    private String weights;

    TrainConfigBuilder(String model, String dataset) {
        this.model = model;
        this.dataset = dataset;
    }

    TrainConfigBuilder(TrainConfig c) {
        this(c.model(), c.dataset());
        epochs = c.epochs();
        batchSize = c.batchSize();
        lr = c.lr();
        optimizer = c.optimizer();
        momentum = c.momentum();
        weightDecay = c.weightDecay();
        schedule = c.schedule();
        warmupEpochs = c.warmupEpochs();
        seed = c.seed();
        limitTrain = c.limitTrain();
        limitTest = c.limitTest();
        augment = c.augment();
        labelSmoothing = c.labelSmoothing();
        earlyStoppingPatience = c.earlyStoppingPatience();
        imageSize = c.imageSize();
        monitor = c.monitor();
        onNonFinite = c.onNonFinite();
        accumulationSteps = c.accumulationSteps();
        emaDecay = c.emaDecay();
        plateauFactor = c.plateauFactor();
        plateauPatience = c.plateauPatience();
        freeze = new ArrayList<>(c.freeze());
        freezeBackbone = c.freezeBackbone();
        headPrefix = c.headPrefix();
        headLrMult = c.headLrMult();
        weights = c.weights();
    }

    /** Validates and builds; a bad value fails with an {@link IllegalArgumentException} naming it. */
    public TrainConfig build() {
        return new TrainConfig(model, dataset, epochs, batchSize, lr, optimizer, momentum, weightDecay, schedule,
                warmupEpochs, seed, limitTrain, limitTest, augment, labelSmoothing, earlyStoppingPatience, imageSize,
                monitor, onNonFinite, accumulationSteps, emaDecay, plateauFactor, plateauPatience, freeze,
                freezeBackbone, headPrefix, headLrMult, weights);
    }

    public TrainConfigBuilder model(String v) {
        model = v;
        return this;
    }

    public TrainConfigBuilder dataset(String v) {
        dataset = v;
        return this;
    }

    public TrainConfigBuilder epochs(int v) {
        epochs = v;
        return this;
    }

    public TrainConfigBuilder batchSize(int v) {
        batchSize = v;
        return this;
    }

    public TrainConfigBuilder lr(double v) {
        lr = v;
        return this;
    }

    public TrainConfigBuilder optimizer(OptimizerKind v) {
        optimizer = v;
        return this;
    }

    public TrainConfigBuilder momentum(double v) {
        momentum = v;
        return this;
    }

    public TrainConfigBuilder weightDecay(double v) {
        weightDecay = v;
        return this;
    }

    public TrainConfigBuilder schedule(ScheduleKind v) {
        schedule = v;
        return this;
    }

    public TrainConfigBuilder warmupEpochs(int v) {
        warmupEpochs = v;
        return this;
    }

    public TrainConfigBuilder seed(long v) {
        seed = v;
        return this;
    }

    public TrainConfigBuilder limitTrain(int v) {
        limitTrain = v;
        return this;
    }

    public TrainConfigBuilder limitTest(int v) {
        limitTest = v;
        return this;
    }

    public TrainConfigBuilder augment(boolean v) {
        augment = v;
        return this;
    }

    public TrainConfigBuilder labelSmoothing(double v) {
        labelSmoothing = v;
        return this;
    }

    public TrainConfigBuilder earlyStoppingPatience(int v) {
        earlyStoppingPatience = v;
        return this;
    }

    public TrainConfigBuilder imageSize(int v) {
        imageSize = v;
        return this;
    }

    public TrainConfigBuilder monitor(Metric v) {
        monitor = v;
        return this;
    }

    public TrainConfigBuilder onNonFinite(NonFinitePolicy v) {
        onNonFinite = v;
        return this;
    }

    public TrainConfigBuilder accumulationSteps(int v) {
        accumulationSteps = v;
        return this;
    }

    public TrainConfigBuilder emaDecay(double v) {
        emaDecay = v;
        return this;
    }

    /** ReduceLROnPlateau's factor and patience (used with {@link ScheduleKind#PLATEAU}). */
    public TrainConfigBuilder plateau(double factor, int patience) {
        plateauFactor = factor;
        plateauPatience = patience;
        return this;
    }

    public TrainConfigBuilder freeze(List<String> prefixes) {
        freeze = new ArrayList<>(prefixes);
        return this;
    }

    public TrainConfigBuilder freezeBackbone(boolean v) {
        freezeBackbone = v;
        return this;
    }

    public TrainConfigBuilder headPrefix(String v) {
        headPrefix = v;
        return this;
    }

    public TrainConfigBuilder headLrMult(double v) {
        headLrMult = v;
        return this;
    }

    public TrainConfigBuilder weights(String v) {
        weights = v;
        return this;
    }
}
