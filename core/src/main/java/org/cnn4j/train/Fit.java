package org.cnn4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cnn4j.backend.Backend;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageShape;
import org.cnn4j.distributed.DistributedDataParallel;
import org.cnn4j.distributed.DistributedSampler;
import org.cnn4j.distributed.EpochShard;
import org.cnn4j.distributed.GlobalStepLoss;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.optim.ReduceLROnPlateau;

/**
 * One training run, start to end, exactly as {@code cnn train} runs it: epochs of training steps, evaluation on
 * the test set after each, the monitored metric's best checkpoint, early stopping, the learning-rate schedule,
 * checkpoints and metrics files in the output folder, resume, and listener events.
 *
 * <pre>{@code
 * TrainConfig config = TrainConfig.builder("fmnist_cnn", "fashion-mnist").epochs(5).build();
 * Module model = ModelRegistry.create(config.model(), options);
 * FitResult result = new Fit(config, model, new FitData(train, trainTf, test, testTf, "my data"), backend)
 *         .addListener(myListener)
 *         .run(Path.of("runs/one"));
 * }</pre>
 *
 * The model is built by the caller (core does not know the model zoo) with its parameters on {@code backend}; a
 * run freezes parameters and makes the optimizer as the config says. With an output folder a run writes
 * last.safetensors and best.safetensors ({@link Checkpoint}), metrics.json and metrics.csv ({@link RunSummary})
 * and steps.csv ({@link StepLog}), each epoch, and holds the folder ({@link RunFolder}) while it runs.
 */
public final class Fit {
    private final TrainConfig config;
    private final Module model;
    private final FitData data;
    private final Backend backend;
    private final List<TrainListener> listeners = new ArrayList<>();
    private final List<GradientHook> hooks = new ArrayList<>();
    private boolean overwrite;
    private int stopAfter;
    private final FitProgress progress = new FitProgress();
    private volatile StepLog activeLog;
    private DistributedDataParallel ddp;
    private EpochShard shard;

    public Fit(TrainConfig config, Module model, FitData data, Backend backend) {
        this.config = config;
        this.model = model;
        this.data = data;
        this.backend = backend;
    }

    public Fit addListener(TrainListener listener) {
        listeners.add(listener);
        return this;
    }

    public Fit addGradientHook(GradientHook hook) {
        hooks.add(hook);
        return this;
    }

    /**
     * Trains data-parallel as one rank of {@code ddp}'s collective: this rank loads its share of every global batch of
     * {@code batchSize} examples, the gradients are averaged across ranks before each optimizer step, and rank 0's
     * weights are broadcast at the start (after a resume every rank has loaded the same checkpoint). Only rank 0
     * should write: run the others with a null output folder.
     */
    public Fit distributed(DistributedDataParallel ddp) {
        if (config.onNonFinite() == NonFinitePolicy.SKIP) {
            throw new IllegalArgumentException("data-parallel training cannot skip a step with a non-finite loss:"
                    + " only that rank would skip it and the ranks would fall out of step; use the stop policy");
        }
        this.ddp = ddp;
        hooks.add(ddp.gradientHook());
        return this;
    }

    /** Whether a fresh run may replace the outputs of an earlier run in its folder (default: refuse). */
    public Fit overwrite(boolean allow) {
        this.overwrite = allow;
        return this;
    }

    /** Ends this invocation after {@code epochs} epochs (0: run to the end); continue later with a resume. */
    public Fit stopAfter(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("stopAfter must be >= 0, got " + epochs);
        }
        this.stopAfter = epochs;
        return this;
    }

    /** A fresh run writing into {@code outDir} (null: no files at all). */
    public FitResult run(Path outDir) throws IOException {
        return start(outDir, null);
    }

    /**
     * Continues the run saved in {@code checkpoint}, into {@code outDir} (typically the checkpoint's own folder).
     * This fit's config must be the checkpoint's, except for more epochs: a resumed run keeps its settings so that
     * it gives the weights an uninterrupted run would have.
     */
    public FitResult resume(Path checkpoint, Path outDir) throws IOException {
        return start(outDir, checkpoint);
    }

    /**
     * For a shutdown hook (Ctrl-C): writes out the buffered steps.csv rows and returns one line on where the run
     * was and how to continue it. Safe from any thread.
     */
    public String interrupted() {
        StepLog log = activeLog;
        if (log != null) {
            try {
                log.flush();
            } catch (UncheckedIOException e) {
                return progress.note() + " (steps.csv could not be written: " + e.getMessage() + ")";
            }
        }
        return progress.note();
    }

    private FitResult start(Path outDir, Path checkpoint) throws IOException {
        Checkpoint.State saved = checkpoint == null ? null : Checkpoint.readState(checkpoint);
        if (saved != null) {
            ConfigDiff.requireResumable(saved.config(), config, checkpoint);
        }
        ImageShape shape = data.train().shape();
        if (shape != null) {
            TrainConfig.checkBatchFits(config.batchSize(), shape.channels(), shape.height(), shape.width());
        }
        ParamGroups groups = ParamGroups.of(model, config);
        if (ddp != null) {
            ddp.broadcastState(); // before the EMA copies the weights; a resume then loads the same state everywhere
        }
        boolean resumingHere = checkpoint != null && outDir != null
                && checkpoint.toAbsolutePath().normalize().getParent().equals(outDir.toAbsolutePath().normalize());
        TrainListener listener = TrainListener.all(listeners);
        try (RunFolder folder = outDir == null ? null : RunFolder.open(outDir, resumingHere, overwrite);
             DataLoader trainLoader = trainLoader();
             DataLoader testLoader = new DataLoader(data.test(), config.batchSize(), false, config.seed(), false,
                     data.testTransform(), null, data.workers());
             Optimizer optimizer = config.optimizer().create(config, groups.groups());
             Ema ema = config.emaDecay() > 0 ? new Ema(model, config.emaDecay()) : null;
             StepLog stepLog = folder == null ? null : new StepLog(folder.resolve(RunFolder.STEPS),
                     saved == null ? 0 : saved.epochsDone())) {
            if (folder != null && !folder.removedLeftovers().isEmpty()) {
                listener.note("removed " + folder.removedLeftovers().size() + " temp file(s) left by an interrupted"
                        + " checkpoint write");
            }
            if (saved != null) {
                Checkpoint.restore(checkpoint, model, optimizer, ema, backend);
            }
            activeLog = stepLog;
            TrainListener all = stepLog == null ? TrainListener.both(progress, listener)
                    : TrainListener.all(List.of(progress, stepLog, listener));
            if (ddp != null) {
                all = new GlobalStepLoss(all, ddp.collective());
            }
            Run run = new Run(folder, optimizer, ema, groups, trainLoader, testLoader, all,
                    saved == null ? List.of() : saved.history());
            return run.execute();
        } finally {
            activeLog = null;
        }
    }

    /** The whole shuffled training set, or with {@link #distributed} this rank's share of each global batch. */
    private DataLoader trainLoader() {
        if (ddp == null) {
            return new DataLoader(data.train(), config.batchSize(), true, config.seed(), false, data.trainTransform(),
                    data.trainBatchTransform(), data.workers());
        }
        DistributedSampler sampler = new DistributedSampler(data.train(), config.batchSize(), ddp.rank(),
                ddp.worldSize(), true, config.seed());
        shard = new EpochShard(data.train(), sampler);
        return new DataLoader(shard, sampler.localBatch(), false, config.seed(), false, data.trainTransform(),
                data.trainBatchTransform(), data.workers());
    }

    /** The state of one invocation: the epoch loop and what it writes. */
    private final class Run {
        private final RunFolder folder;
        private final Optimizer optimizer;
        private final Ema ema;
        private final DataLoader trainLoader;
        private final DataLoader testLoader;
        private final TrainListener listener;
        private final List<EpochResult> history;
        private final LearningRates rates;
        private final EpochLoop loop;
        private final ReduceLROnPlateau plateau;
        private final BestTracker best;

        Run(RunFolder folder, Optimizer optimizer, Ema ema, ParamGroups groups, DataLoader trainLoader,
            DataLoader testLoader, TrainListener listener, List<EpochResult> history) {
            this.folder = folder;
            this.optimizer = optimizer;
            this.ema = ema;
            this.trainLoader = trainLoader;
            this.testLoader = testLoader;
            this.listener = listener;
            this.history = new ArrayList<>(history);
            int updates = EpochLoop.updatesPerEpoch(trainLoader.batchesPerEpoch(), config.accumulationSteps());
            this.rates = new LearningRates(config.schedule().perStep(config, updates), config.lr(), groups.scales());
            this.loop = new EpochLoop(model, optimizer, backend, config, listener, hooks, ema, rates,
                    data.numClasses());
            this.plateau = config.schedule() == ScheduleKind.PLATEAU ? new ReduceLROnPlateau(
                    ReduceLROnPlateau.Options.of(config.monitor().higherIsBetter() ? ReduceLROnPlateau.Mode.MAX
                            : ReduceLROnPlateau.Mode.MIN, config.plateauFactor(), config.plateauPatience())) : null;
            this.best = new BestTracker(config.monitor());
            for (EpochResult r : history) {
                best.add(r);
                if (plateau != null && plateau.observe(config.monitor().of(r))) {
                    rates.reduce(config.plateauFactor());
                }
            }
        }

        FitResult execute() throws IOException {
            int start = history.size();
            listener.runStarted(new RunInfo(config, model, data.classNames(), folder == null ? null : folder.dir(),
                    start, history, trainLoader.batchesPerEpoch(), testLoader.batchesPerEpoch()));
            progress.started(folder, start, config.epochs());
            ClassificationMetrics last = null;
            long skipped = 0;
            String stopReason = null;
            for (int epoch = start; epoch < config.epochs(); epoch++) {
                if (shard != null) {
                    shard.setEpoch(epoch);
                }
                EpochLoop.Stats stats = loop.run(trainLoader, epoch);
                skipped += stats.skippedSteps();
                last = evaluate(epoch);
                EpochResult r = new EpochResult(epoch + 1, stats.lastLr(), stats.loss(), stats.accuracy(),
                        last.loss(), last.top1(), last.top5(), stats.seconds(), stats.images() / stats.seconds());
                history.add(r);
                boolean improved = best.add(r);
                listener.evaluationFinished(epoch, last);
                listener.epochFinished(r);
                if (plateau != null && plateau.observe(config.monitor().of(r))) {
                    rates.reduce(config.plateauFactor());
                    listener.note(String.format(Locale.ROOT, "%s has not improved for %d epochs: learning rate"
                            + " reduced to %.3g", config.monitor(), config.plateauPatience() + 1,
                            config.lr() * rates.plateauFactor()));
                }
                save(epoch + 1, improved, last);
                stopReason = stopReason(epoch, start);
                if (stopReason != null) {
                    listener.note(stopReason);
                    break;
                }
            }
            FitResult result = new FitResult(history, config.monitor(), best.epoch(), best.value(), last, skipped,
                    stopReason);
            listener.runFinished(result);
            return result;
        }

        private ClassificationMetrics evaluate(int epoch) {
            listener.evaluationStarted(epoch, testLoader.batchesPerEpoch());
            ClassificationMetrics test;
            if (ema == null) {
                test = new Evaluator(model, backend).evaluate(testLoader, data.numClasses());
            } else {
                ema.exchange();
                try {
                    test = new Evaluator(model, backend).evaluate(testLoader, data.numClasses());
                } finally {
                    ema.exchange();
                }
            }
            if (test.nonFiniteCount() > 0) {
                listener.note(String.format(Locale.ROOT, "epoch %d: %d of %d test images gave NaN or infinite"
                        + " outputs (counted as wrong)", epoch + 1, test.nonFiniteCount(), test.count()));
            }
            return test;
        }

        private void save(int epochsDone, boolean improved, ClassificationMetrics last) throws IOException {
            if (folder == null) {
                return;
            }
            double bestAccuracy = history.stream().mapToDouble(EpochResult::testAccuracy)
                    .filter(Double::isFinite).max().orElse(-1);
            Checkpoint.State state = new Checkpoint.State(config, epochsDone, bestAccuracy, history);
            Checkpoint.save(folder.resolve(RunFolder.LAST), model, optimizer, ema, state);
            if (improved) {
                Checkpoint.save(folder.resolve(RunFolder.BEST), model, optimizer, ema, state);
            }
            EpochResult fin = history.get(history.size() - 1);
            new RunSummary(config.model(), config.dataset(), data.description(), backend.name(),
                    backend.description(), model.parameterCount(), config.seed(), config, history, fin.testAccuracy(),
                    fin.testTop5Accuracy(), bestAccuracy, config.monitor(), best.epoch(), best.value(),
                    data.classNames(), last.confusion(), last.nonFiniteCount()).write(folder.dir());
            progress.saved(epochsDone);
        }

        private String stopReason(int epoch, int start) {
            if (stopAfter > 0 && epoch + 1 - start >= stopAfter && epoch + 1 < config.epochs()) {
                return "stopping after " + stopAfter + " epoch(s) as asked"
                        + (folder == null ? "" : "; continue with --resume " + folder.resolve(RunFolder.LAST));
            }
            if (config.earlyStoppingPatience() > 0 && best.sinceBest() >= config.earlyStoppingPatience()
                    && epoch + 1 < config.epochs()) {
                return "early stopping: no better " + config.monitor() + " for " + config.earlyStoppingPatience()
                        + " epochs";
            }
            return null;
        }
    }
}
