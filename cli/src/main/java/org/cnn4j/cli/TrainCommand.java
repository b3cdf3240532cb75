package org.cnn4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.data.Augmentations;
import org.cnn4j.data.ImageFiles;
import org.cnn4j.data.ImageFolderDataset;
import org.cnn4j.distributed.Collective;
import org.cnn4j.distributed.DistributedDataParallel;
import org.cnn4j.distributed.SyncBatchNorm;
import org.cnn4j.distributed.RingEnvironment;
import org.cnn4j.nn.Module;
import org.cnn4j.train.Checkpoint;
import org.cnn4j.train.Fit;
import org.cnn4j.train.FitResult;
import org.cnn4j.train.Metric;
import org.cnn4j.train.NonFinitePolicy;
import org.cnn4j.train.OptimizerKind;
import org.cnn4j.train.ScheduleKind;
import org.cnn4j.train.TrainConfig;
import org.cnn4j.train.TrainConfigBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cnn train}: turns its options into a {@link TrainConfig}, builds the data and the model, and hands them
 * to {@link Fit}, which runs exactly what a Java user's Fit runs.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model (default: a small CNN on Fashion-MNIST from the best available source).")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    DataOptions input = new DataOptions();

    @Option(names = "--model", defaultValue = "fmnist_cnn", description = "model name, see 'cnn models' (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "fashion-mnist, cifar10, folder or sequence (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data", description = "dataset folder (fashion-mnist: the four IDX files; cifar10: the .bin batches; folder: train/ and test/; sequence: train.csv and test.csv)")
    Path data;

    @Option(names = "--download", description = "fetch Fashion-MNIST from its official location if no local copy is found (verified by SHA-256)")
    boolean download;

    @Option(names = "--image-size", description = "image side for --dataset folder (default: the model's input, e.g. 28 or 224)")
    Integer imageSize;

    @Option(names = "--weights", description = "start from these weights (fine-tuning; safetensors or PyTorch .pth by content): every tensor is loaded but a head of another class count")
    Path weights;

    @Option(names = "--weights-key", description = ModelArgs.WEIGHTS_KEY_HELP)
    String weightsKey;

    @Option(names = "--num-classes", description = "classes of the new head (default and only allowed value: the dataset's)")
    Integer numClasses;

    @Option(names = "--freeze", description = "do not train parameters whose names start with PREFIX (repeatable), e.g. layer1")
    List<String> freeze = new ArrayList<>();

    @Option(names = "--freeze-backbone", description = "train only the classifier head")
    boolean freezeBackbone;

    @Option(names = "--head-lr-mult", defaultValue = "1", description = "the head's learning rate as a multiple of the others' (default: ${DEFAULT-VALUE})")
    double headLrMult;

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

    @Option(names = "--schedule", defaultValue = "onecycle", description = "none, step, multistep, cosine, onecycle or plateau (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--warmup-epochs", defaultValue = "0", description = "linear warmup before the schedule (default: ${DEFAULT-VALUE})")
    int warmupEpochs;

    @Option(names = "--plateau-patience", defaultValue = "10", description = "--schedule plateau: epochs without improvement before the rate is cut 10x (default: ${DEFAULT-VALUE})")
    int plateauPatience;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "default: ${DEFAULT-VALUE}")
    double labelSmoothing;

    @Option(names = "--augment", description = "random crop and horizontal flip on the training set")
    boolean augment;

    @Option(names = "--accumulate", defaultValue = "1", description = "batches whose gradients make one optimizer step (default: ${DEFAULT-VALUE})")
    int accumulate;

    @Option(names = "--ema", defaultValue = "0", description = "keep an exponential moving average of the weights with this decay, e.g. 0.999, and evaluate and save it (default: off)")
    double ema;

    @Option(names = "--monitor", defaultValue = "test_accuracy", description = "what picks best.safetensors and drives early stopping and plateau: test_accuracy, test_top5_accuracy, test_loss, train_accuracy or train_loss (default: ${DEFAULT-VALUE})")
    String monitor;

    @Option(names = "--early-stopping", defaultValue = "0", description = "stop after N epochs without a better monitored value (0: off)")
    int patience;

    @Option(names = "--on-nonfinite", defaultValue = "stop", description = "a NaN or infinite loss or gradient: stop (with a message) or skip the step (default: ${DEFAULT-VALUE})")
    String onNonFinite;

    @Option(names = "--seed", defaultValue = "42", description = "default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--limit-train", defaultValue = "0", description = "use only the first N training images (0: all)")
    int limitTrain;

    @Option(names = "--limit-test", defaultValue = "0", description = "use only the first N test images (0: all)")
    int limitTest;

    @Option(names = "--out", description = "output folder (default: runs/<timestamp>, or the folder of --resume)")
    Path out;

    @Option(names = "--overwrite", description = "replace the outputs of an earlier run in --out (otherwise a folder holding one is refused)")
    boolean overwrite;

    @Option(names = "--resume", description = "continue the run of a checkpoint (its last.safetensors) with its settings; only --epochs may change")
    Path resume;

    @Option(names = "--stop-after", defaultValue = "0", description = "end this invocation after N epochs (continue later with --resume)")
    int stopAfter;

    @Option(names = "--nproc", defaultValue = "1", description = "train data-parallel in N worker processes on this machine (like torchrun); --batch-size is the global batch, split evenly (default: ${DEFAULT-VALUE})")
    int nproc;

    @Option(names = "--sync-bn", description = "--nproc: normalise BatchNorm layers with the statistics of the global batch (SyncBatchNorm) instead of each worker's share; pass it again when resuming")
    boolean syncBn;

    @Option(names = "--collective-timeout", defaultValue = "300", description = "--nproc: seconds a worker waits for the others before it fails naming the rank at fault (default: ${DEFAULT-VALUE})")
    int collectiveTimeout;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        RingEnvironment ring = DistributedTrain.ring().orElse(null);
        Checkpoint.State resumed = resume == null ? null : Checkpoint.readState(resume);
        TrainConfig config = resumed == null ? fresh() : resumed(resumed.config());
        Path outDir = out != null ? out : resume != null ? resume.toAbsolutePath().getParent()
                : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (nproc > 1 && ring == null) {
            return DistributedTrain.launch(spec, nproc, outDir, Duration.ofSeconds(collectiveTimeout));
        }
        if (ring != null) {
            DistributedTrain.quietUnlessRankZero(ring);
        }
        boolean writer = ring == null || ring.rank() == 0;
        Backend backend = common.resolve();
        Augmentations augmentations = input.augmentations(config.augment(), 0);
        TrainingData td = TrainingData.load(config.dataset(), data, download, config.limitTrain(), config.limitTest(),
                new TrainingData.Input(augmentations, new ImageFolderDataset.Checks(ImageFiles.DEFAULT_MAX_PIXELS,
                        input.skipBadImages, input.workers, skipped -> System.out.println("skipped " + skipped)),
                        input.valSplit, config.seed()), config.imageSize(),
                TrainSetup.imagenetPretrained(config.model(), config.weights() != null));
        System.out.println("data: " + td.description());
        if (numClasses != null && numClasses != td.numClasses()) {
            throw OptionChecks.usage(spec, "--num-classes " + numClasses + " does not match the dataset, which has "
                    + td.numClasses() + " classes");
        }
        try (Backends.Use use = Backends.use(backend);
             Module net = TrainSetup.model(config, td, resumed == null ? weights : null, weightsKey, backend,
                     System.out);
             TensorBoardOutput tensorboard = new TensorBoardOutput(input.histograms)) {
            ProgressReporter progress = new ProgressReporter(System.out, System.console() != null);
            Collective collective = null;
            DistributedDataParallel ddp = null;
            Fit fit = new Fit(config, net, td.fitData(augmentations.batch(td.numClasses()), input.workers), backend)
                    .overwrite(overwrite).stopAfter(stopAfter);
            if (writer) {
                fit.addListener(progress).addListener(new CurvesListener(outDir, config.model() + " on " + td.name()));
            }
            if (writer && input.tensorboard) {
                fit.addListener(tensorboard);
            }
            if (ring != null) {
                DistributedTrain.setupDone();
                collective = ring.join();
                ddp = new DistributedDataParallel(net, collective);
                fit.distributed(ddp);
                if (syncBn) {
                    System.out.println("SyncBatchNorm: " + SyncBatchNorm.convert(net, ddp.collective()).size()
                            + " BatchNorm layers normalise over the global batch");
                }
            }
            System.out.printf(Locale.ROOT, "model: %s, %,d parameters; optimizer %s, lr %.3g, schedule %s; %d epochs%n",
                    config.model(), net.parameterCount(), config.optimizer().id(), config.lr(), config.schedule().id(),
                    config.epochs());
            FitResult result;
            try (InterruptNote note = InterruptNote.install(fit)) {
                Path writeTo = writer ? outDir : null;
                result = resumed == null ? fit.run(writeTo) : fit.resume(resume, writeTo);
            } finally {
                if (ddp != null) {
                    ddp.close();
                }
                if (collective != null) {
                    collective.close();
                }
            }
            if (result.lastTest() == null) {
                System.out.println("nothing to do: the checkpoint already finished " + config.epochs() + " epochs");
                return 0;
            }
            ConfusionTable.print(System.out, td.train().classNames(), result.lastTest().confusion());
            System.out.printf(Locale.ROOT, "final test accuracy %.2f%% (best %s %.4g in epoch %d); outputs in %s%n",
                    100 * result.history().get(result.epochsDone() - 1).testAccuracy(), config.monitor(),
                    result.bestValue(), result.bestEpoch(), outDir);
        }
        return 0;
    }

    /** Bad option values are usage errors (exit 2), found before any data is read or file written. */
    private void checkOptions() {
        common.check();
        OptionChecks.model(spec, model);
        OptionChecks.oneOf(spec, "--dataset", dataset, TrainingData.NAMES);
        OptionChecks.parsed(spec, "--optimizer", optimizer, OptimizerKind::of);
        OptionChecks.parsed(spec, "--schedule", schedule, ScheduleKind::of);
        OptionChecks.parsed(spec, "--monitor", monitor, Metric::of);
        OptionChecks.parsed(spec, "--on-nonfinite", onNonFinite, NonFinitePolicy::of);
        OptionChecks.atLeast(spec, "--epochs", epochs, 1);
        OptionChecks.atLeast(spec, "--batch-size", batchSize, 1);
        OptionChecks.atLeast(spec, "--nproc", nproc, 1);
        OptionChecks.atLeast(spec, "--collective-timeout", collectiveTimeout, 1);
        if (nproc > 1 && batchSize % nproc != 0) {
            throw OptionChecks.usage(spec, "--batch-size " + batchSize + " is the global batch and must be a multiple"
                    + " of --nproc " + nproc);
        }
        if (nproc > 1 && "skip".equalsIgnoreCase(onNonFinite)) {
            throw OptionChecks.usage(spec, "--on-nonfinite skip cannot be used with --nproc: a rank would skip a step"
                    + " alone and fall out of step with the others");
        }
        OptionChecks.atLeast(spec, "--warmup-epochs", warmupEpochs, 0);
        OptionChecks.atLeast(spec, "--plateau-patience", plateauPatience, 0);
        OptionChecks.atLeast(spec, "--early-stopping", patience, 0);
        OptionChecks.atLeast(spec, "--stop-after", stopAfter, 0);
        OptionChecks.atLeast(spec, "--limit-train", limitTrain, 0);
        OptionChecks.atLeast(spec, "--limit-test", limitTest, 0);
        OptionChecks.atLeast(spec, "--accumulate", accumulate, 1);
        OptionChecks.atLeast(spec, "--workers", input.workers, 1);
        if (!(input.valSplit >= 0 && input.valSplit < 1) || !(input.randomErasing >= 0 && input.randomErasing <= 1)
                || input.colorJitter != null && input.colorJitter.length != 4) {
            throw OptionChecks.usage(spec, "expected --val-split in [0, 1), --random-erasing in [0, 1] and"
                    + " --color-jitter as 4 numbers B,C,S,H");
        }
        if (numClasses != null) {
            OptionChecks.atLeast(spec, "--num-classes", numClasses, 1);
        }
        if (imageSize != null) {
            OptionChecks.imageSize(spec, imageSize, batchSize);
            if (resume == null && !TrainingData.canonicalName(dataset).equals("folder")) {
                throw OptionChecks.usage(spec, "--image-size applies to --dataset folder only");
            }
        }
        if (!(lr > 0) || weightDecay < 0 || !(labelSmoothing >= 0 && labelSmoothing < 1) || !(headLrMult > 0)
                || !(ema >= 0 && ema < 1)) {
            throw OptionChecks.usage(spec, "expected --lr > 0, --weight-decay >= 0, --label-smoothing in [0, 1),"
                    + " --head-lr-mult > 0 and --ema in [0, 1), got " + lr + ", " + weightDecay + ", "
                    + labelSmoothing + ", " + headLrMult + ", " + ema);
        }
    }

    /** A new run: every option, with its default where not given. */
    private TrainConfig fresh() {
        TrainConfigBuilder b = TrainConfig.builder(model, TrainingData.canonicalName(dataset))
                .headPrefix(TrainSetup.headPrefix(model));
        apply(b, option -> true, true);
        return build(b);
    }

    /**
     * A resumed run keeps its settings; only --epochs may extend it. Options given with another value than the
     * checkpoint's are refused rather than ignored or applied: applying them would make the resumed run differ
     * from an uninterrupted one while looking like it (and break bit-exact resume), and ignoring them would
     * surprise. To train on with other settings, a new run starts from the checkpoint's weights.
     */
    private TrainConfig resumed(TrainConfig saved) {
        TrainConfigBuilder b = saved.toBuilder();
        apply(b, option -> spec.commandLine().getParseResult().hasMatchedOption(option), false);
        TrainConfig wanted = build(b);
        List<String> changes = wanted.changesFrom(saved);
        if (!changes.isEmpty()) {
            throw OptionChecks.usage(spec, "--resume continues " + resume + " with its own settings, but "
                    + String.join(", ", changes) + "; only --epochs may change. To train on with other settings,"
                    + " start a new run from its weights: --weights " + resume);
        }
        return wanted;
    }

    /** Copies each option that {@code given} accepts into the builder ({@code fresh}: all, with defaults). */
    private void apply(TrainConfigBuilder b, Predicate<String> given, boolean fresh) {
        String name = TrainingData.canonicalName(dataset);
        if (given.test("--model")) {
            b.model(model);
        }
        if (given.test("--dataset")) {
            b.dataset(name);
        }
        if (fresh) {
            b.imageSize(!name.equals("folder") ? 0 : imageSize != null ? imageSize : TrainSetup.defaultImageSize(model));
        } else if (given.test("--image-size")) {
            b.imageSize(imageSize);
        }
        if (given.test("--weights")) {
            b.weights(weights == null ? null : weights.toString());
        }
        if (given.test("--optimizer")) {
            b.optimizer(OptimizerKind.of(optimizer));
        }
        if (given.test("--weight-decay") || fresh) {
            boolean decayGiven = spec.commandLine().getParseResult().hasMatchedOption("--weight-decay");
            b.weightDecay(OptimizerKind.of(optimizer) == OptimizerKind.ADAMW && !decayGiven ? 0.01 : weightDecay);
        }
        if (given.test("--schedule")) {
            b.schedule(ScheduleKind.of(schedule));
        }
        if (given.test("--plateau-patience")) {
            b.plateau(0.1, plateauPatience);
        }
        if (given.test("--monitor")) {
            b.monitor(Metric.of(monitor));
        }
        if (given.test("--on-nonfinite")) {
            b.onNonFinite(NonFinitePolicy.of(onNonFinite));
        }
        if (given.test("--freeze")) {
            b.freeze(freeze);
        }
        applyNumbers(b, given);
    }

    private void applyNumbers(TrainConfigBuilder b, Predicate<String> given) {
        if (given.test("--epochs")) {
            b.epochs(epochs);
        }
        if (given.test("--batch-size")) {
            b.batchSize(batchSize);
        }
        if (given.test("--lr")) {
            b.lr(lr);
        }
        if (given.test("--momentum")) {
            b.momentum(momentum);
        }
        if (given.test("--warmup-epochs")) {
            b.warmupEpochs(warmupEpochs);
        }
        if (given.test("--label-smoothing")) {
            b.labelSmoothing(labelSmoothing);
        }
        if (given.test("--augment")) {
            b.augment(augment);
        }
        if (given.test("--accumulate")) {
            b.accumulationSteps(accumulate);
        }
        if (given.test("--ema")) {
            b.emaDecay(ema);
        }
        if (given.test("--early-stopping")) {
            b.earlyStoppingPatience(patience);
        }
        if (given.test("--seed")) {
            b.seed(seed);
        }
        if (given.test("--limit-train")) {
            b.limitTrain(limitTrain);
        }
        if (given.test("--limit-test")) {
            b.limitTest(limitTest);
        }
        if (given.test("--freeze-backbone")) {
            b.freezeBackbone(freezeBackbone);
        }
        if (given.test("--head-lr-mult")) {
            b.headLrMult(headLrMult);
        }
    }

    /** The config's own checks (e.g. a batch of huge images) are usage errors too. */
    private TrainConfig build(TrainConfigBuilder b) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw OptionChecks.usage(spec, e.getMessage());
        }
    }
}
