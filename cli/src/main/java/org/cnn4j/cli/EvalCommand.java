package org.cnn4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.data.DataLoader;
import org.cnn4j.models.ModelRegistry;
import org.cnn4j.nn.Module;
import org.cnn4j.train.ClassificationMetrics;
import org.cnn4j.train.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cnn eval}: test-set loss, top-1/top-5 accuracy and confusion matrix of saved weights. Outputs that are
 * NaN or infinite count as wrong, and any make the exit code 1: the model is numerically broken.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate weights (a checkpoint or a weights file) on a dataset's test split.")
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--model", defaultValue = "fmnist_cnn", description = "default: ${DEFAULT-VALUE}")
    String model;

    @Option(names = "--weights", required = true, description = ModelArgs.WEIGHTS_HELP)
    Path weights;

    @Option(names = "--weights-key", description = ModelArgs.WEIGHTS_KEY_HELP)
    String weightsKey;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", description = "fashion-mnist, cifar10 or folder (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--data", description = "dataset folder (see 'cnn train --help')")
    Path data;

    @Option(names = "--batch-size", defaultValue = "256", description = "default: ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--limit-test", defaultValue = "0", description = "use only the first N test images (0: all)")
    int limitTest;

    @Option(names = "--image-size", description = "image side for --dataset folder (default: the model's input, as cnn train)")
    Integer imageSize;

    @Option(names = "--imagenet-stats", description = "normalise with ImageNet's statistics, as cnn train does for ImageNet models fine-tuned from --weights")
    boolean imagenetStats;

    @Override
    public Integer call() throws Exception {
        common.check();
        OptionChecks.model(spec, model);
        OptionChecks.oneOf(spec, "--dataset", dataset, TrainingData.NAMES);
        OptionChecks.atLeast(spec, "--batch-size", batchSize, 1);
        OptionChecks.atLeast(spec, "--limit-test", limitTest, 0);
        int size = imageSize != null ? imageSize : TrainSetup.defaultImageSize(model);
        OptionChecks.imageSize(spec, size, batchSize);
        Backend backend = common.resolve();
        TrainingData td = TrainingData.load(dataset, data, false, 0, limitTest, false, size, imagenetStats);
        System.out.println("data: " + td.sourceDescription() + "; evaluating " + td.test().size() + " test images");
        ClassificationMetrics m;
        try (Backends.Use use = Backends.use(backend);
             Module net = ModelRegistry.create(model, td.modelOptions());
             DataLoader loader = new DataLoader(td.test(), batchSize, false, 0, false, td.testTransform())) {
            ModelArgs.loadWeights(weights, weightsKey, model, net, backend);
            m = new Evaluator(net, backend).evaluate(loader, td.numClasses());
        }
        ConfusionTable.print(System.out, td.test().classNames(), m.confusion());
        System.out.printf(Locale.ROOT, "test loss %.4f, accuracy %.2f%%, top-5 %.2f%% on %d images%n", m.loss(),
                100 * m.top1(), 100 * m.top5(), m.count());
        if (m.nonFiniteCount() > 0) {
            spec.commandLine().getErr().printf(Locale.ROOT, "cnn eval: %d of %d images gave NaN or infinite outputs"
                    + " (counted as wrong); the model is numerically broken%n", m.nonFiniteCount(), m.count());
            spec.commandLine().getErr().flush();
            return 1;
        }
        return 0;
    }
}
