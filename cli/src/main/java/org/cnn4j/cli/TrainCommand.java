package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageFiles;
import org.cnn4j.data.ImageFolderDataset;
import org.cnn4j.io.tensorboard.SummaryWriter;
import org.cnn4j.io.tensorboard.TensorBoardListener;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.optim.Optimizer;
import org.cnn4j.train.Checkpoint;
import org.cnn4j.train.ClassificationMetrics;
import org.cnn4j.train.EpochResult;
import org.cnn4j.train.RunSummary;
import org.cnn4j.train.TrainConfig;
import org.cnn4j.train.TrainListener;
import org.cnn4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn train}: trains a model, writing metrics, curves and checkpoints under {@code --out}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model (default: a small CNN on Fashion-MNIST from the best available source).")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = "fmnist_cnn", description = "model name, see 'cnn models' (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "fashion-mnist, cifar10, folder or sequence (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data", description = "dataset folder (fashion-mnist: the four IDX files; cifar10: the .bin batches; folder: train/ and test/; sequence: train.csv and test.csv)")
    Path data;

    @Option(names = "--download", description = "fetch Fashion-MNIST from its official location if no local copy is found (verified by SHA-256)")
    boolean download;

    @Option(names = "--epochs", defaultValue = "3", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.003", description = "learning rate; the peak rate under onecycle (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, adam or adamw (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "default: ${DEFAULT-VALUE} (AdamW: 0.01 when not given)")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "onecycle", description = "none, step, multistep, cosine or onecycle (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--warmup-epochs", defaultValue = "0", description = "linear warmup before the schedule (default: ${DEFAULT-VALUE})")
    int warmupEpochs;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "default: ${DEFAULT-VALUE}")
    double labelSmoothing;

    @Option(names = "--augment", description = "random crop and horizontal flip on the training set")
    boolean augment;

    @Option(names = "--early-stopping", defaultValue = "0", description = "stop after N epochs without a better test accuracy (0: off)")
    int patience;

    @Option(names = "--seed", defaultValue = "42", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--backend", description = "auto, cpu or cuda (default: -Dcnn4j.backend, else CNN4J_BACKEND, else auto)")
    String backendName;

    @Option(names = "--out", description = "output folder (default: runs/<timestamp>)")
    Path out;

    @Option(names = "--resume", description = "continue from a checkpoint (last.safetensors of an earlier run)")
    Path resume;

    @Option(names = "--stop-after", defaultValue = "0", description = "end this invocation after N epochs (continue later with --resume)")
    int stopAfter;

    @Option(names = "--limit-train", defaultValue = "0", description = "use only the first N training images (0: all)")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", description = "use only the first N test images (0: all)")
    int limitTest;

    @Option(names = "--image-size", defaultValue = "64", description = "image side for --dataset folder (default: ${DEFAULT-VALUE})")
    int imageSize;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on failure")
    boolean verbose;

    @Mixin
    DataOptions input = new DataOptions();

    @Override
    public Integer call() throws Exception {
        checkOptions();
        Checkpoint.State resumed = resume == null ? null : Checkpoint.readState(resume);
        TrainConfig config = resumed == null ? configFromOptions() : resumedConfig(resumed.config());
        Path outDir = prepareOut();
        Backend backend = Backends.resolve(backendName);
        TrainingData td = TrainingData.load(config.dataset(), data, download, config.limitTrain(), config.limitTest(),
                new TrainingData.Input(input.augmentations(config.augment(), 0), new ImageFolderDataset.Checks(
                        ImageFiles.DEFAULT_MAX_PIXELS, input.skipBadImages, input.workers,
                        skipped -> System.out.println("skipped " + skipped)), input.valSplit, config.seed()),
                imageSize);
        System.out.println("data: " + td.description());
        try (Backends.Use use = Backends.use(backend);
             Module net = createModel(config, td);
             Optimizer opt = TrainSetup.optimizer(config, net.parameters());
             DataLoader trainLoader = new DataLoader(td.train(), config.batchSize(), true, config.seed(), false,
                     td.trainTransform(), null, input.workers);
             DataLoader testLoader = new DataLoader(td.test(), config.batchSize(), false, config.seed(), false,
                     td.testTransform(), null, input.workers);
             StepLog stepLog = new StepLog(outDir.resolve("steps.csv"));
             TensorBoardListener tensorboard = input.tensorboard ? TensorBoardListener.forModel(
                     new SummaryWriter(outDir), net, input.histograms) : null) {
            System.out.printf(Locale.ROOT, "model: %s, %,d parameters; optimizer %s, lr %.3g, schedule %s; %d epochs of %d steps%n",
                    config.model(), net.parameterCount(), opt.name(), config.lr(), config.schedule(), config.epochs(),
                    trainLoader.batchesPerEpoch());
            List<EpochResult> history = new ArrayList<>();
            int start = 0;
            double best = -1;
            if (resumed != null) {
                Checkpoint.restore(resume, net, opt, backend);
                history.addAll(resumed.history());
                start = resumed.epochsDone();
                best = resumed.bestAccuracy();
                System.out.println("resumed from " + resume + " after epoch " + start);
            }
            ProgressReporter progress = new ProgressReporter(System.out, System.console() != null);
            Trainer trainer = new Trainer(net, opt, TrainSetup.schedule(config, trainLoader.batchesPerEpoch()),
                    backend, (float) config.labelSmoothing(), config.seed(), TrainListener.both(progress,
                    tensorboard == null ? stepLog : TrainListener.both(stepLog, tensorboard)));
            ClassificationMetrics last = null;
            int sinceBest = 0;
            for (int epoch = start; epoch < config.epochs(); epoch++) {
                Trainer.TrainStats stats = trainer.trainEpoch(trainLoader, epoch, config.epochs(), td.numClasses());
                last = trainer.evaluate(testLoader, epoch, td.numClasses());
                EpochResult r = new EpochResult(epoch + 1, stats.lastLr(), stats.loss(), stats.accuracy(), last.loss(),
                        last.top1(), last.top5(), stats.seconds(), stats.images() / stats.seconds());
                history.add(r);
                progress.epochFinished(r);
                if (tensorboard != null) {
                    tensorboard.evaluationFinished(epoch, last);
                    tensorboard.epochFinished(r);
                }
                boolean improved = r.testAccuracy() > best;
                best = Math.max(best, r.testAccuracy());
                sinceBest = improved ? 0 : sinceBest + 1;
                Checkpoint.State state = new Checkpoint.State(config, epoch + 1, best, history);
                Checkpoint.save(outDir.resolve("last.safetensors"), net, opt, state);
                if (improved) {
                    Checkpoint.save(outDir.resolve("best.safetensors"), net, opt, state);
                }
                summary(config, td, backend, net, history, best, last).write(outDir);
                CurvesPlot.write(outDir.resolve("curves.png"), config.model() + " on " + td.name(), history);
                if (stopAfter > 0 && epoch + 1 - start >= stopAfter && epoch + 1 < config.epochs()) {
                    System.out.println("stopping after " + stopAfter + " epoch(s) as asked; continue with --resume "
                            + outDir.resolve("last.safetensors"));
                    break;
                }
                if (patience > 0 && sinceBest >= patience) {
                    System.out.println("early stopping: no better test accuracy for " + patience + " epochs");
                    break;
                }
            }
            if (last == null) {
                System.out.println("nothing to do: the checkpoint already finished " + config.epochs() + " epochs");
                return 0;
            }
            ConfusionTable.print(System.out, td.train().classNames(), last.confusion());
            System.out.printf(Locale.ROOT, "final test accuracy %.2f%% (best %.2f%%); outputs in %s%n",
                    100 * last.top1(), 100 * best, outDir);
        }
        return 0;
    }

    /** Bad option values are usage errors (exit 2), found before any data is read or file written. */
    private void checkOptions() {
        OptionChecks.model(spec, model);
        OptionChecks.oneOf(spec, "--dataset", dataset, TrainingData.NAMES);
        OptionChecks.oneOf(spec, "--optimizer", optimizer, "sgd", "adam", "adamw");
        OptionChecks.oneOf(spec, "--schedule", schedule, "none", "constant", "step", "multistep", "cosine",
                "onecycle");
        OptionChecks.backend(spec, backendName);
        OptionChecks.atLeast(spec, "--epochs", epochs, 1);
        OptionChecks.atLeast(spec, "--batch-size", batchSize, 1);
        OptionChecks.atLeast(spec, "--warmup-epochs", warmupEpochs, 0);
        OptionChecks.atLeast(spec, "--early-stopping", patience, 0);
        OptionChecks.atLeast(spec, "--stop-after", stopAfter, 0);
        OptionChecks.atLeast(spec, "--limit-train", limitTrain, 0);
        OptionChecks.atLeast(spec, "--limit-test", limitTest, 0);
        OptionChecks.atLeast(spec, "--image-size", imageSize, 1);
        OptionChecks.atLeast(spec, "--workers", input.workers, 1);
        if (!(input.valSplit >= 0 && input.valSplit < 1) || !(input.randomErasing >= 0 && input.randomErasing <= 1)
                || input.colorJitter != null && input.colorJitter.length != 4) {
            throw OptionChecks.usage(spec, "expected --val-split in [0, 1), --random-erasing in [0, 1] and"
                    + " --color-jitter as 4 numbers B,C,S,H");
        }
        if (!(lr > 0) || weightDecay < 0 || !(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw OptionChecks.usage(spec, "expected --lr > 0, --weight-decay >= 0 and --label-smoothing in [0, 1),"
                    + " got " + lr + ", " + weightDecay + ", " + labelSmoothing);
        }
    }

    private TrainConfig configFromOptions() {
        boolean decayGiven = spec.commandLine().getParseResult().hasMatchedOption("--weight-decay");
        double wd = optimizer.equalsIgnoreCase("adamw") && !decayGiven ? 0.01 : weightDecay;
        return new TrainConfig(model, dataset, epochs, batchSize, lr, optimizer.toLowerCase(Locale.ROOT), momentum,
                wd, schedule.toLowerCase(Locale.ROOT), warmupEpochs, seed, limitTrain, limitTest, augment,
                labelSmoothing, patience);
    }

    /** A resumed run keeps its settings; only --epochs may extend it. */
    private TrainConfig resumedConfig(TrainConfig saved) {
        boolean epochsGiven = spec.commandLine().getParseResult().hasMatchedOption("--epochs");
        return epochsGiven ? saved.withEpochs(epochs) : saved;
    }

    private Path prepareOut() throws IOException {
        Path dir = out != null ? out : Path.of("runs", LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create output folder " + dir + ": " + FailureHandler.message(e), e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("output folder " + dir + " is not writable");
        }
        Path probe = dir.resolve(".write-test");
        try {
            Files.writeString(probe, "ok");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("output folder " + dir + " is not writable: " + FailureHandler.message(e), e);
        }
        return dir;
    }

    private static Module createModel(TrainConfig config, TrainingData td) {
        Init.manualSeed(config.seed());
        return ModelRegistry.create(config.model(), td.modelOptions());
    }

    private static RunSummary summary(TrainConfig config, TrainingData td, Backend backend, Module net,
                                      List<EpochResult> history, double best, ClassificationMetrics last) {
        EpochResult fin = history.get(history.size() - 1);
        return new RunSummary(config.model(), td.name(), td.description(), backend.name(), backend.description(),
                net.parameterCount(), config.seed(), config, history, fin.testAccuracy(), fin.testTop5Accuracy(), best,
                td.train().classNames(), last.confusion());
    }
}
