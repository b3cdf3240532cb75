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
import org.cnn4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cnn eval}: test-set loss, top-1/top-5 accuracy and confusion matrix of saved weights. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate weights (a checkpoint or a weights file) on a dataset's test split.")
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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

    @Option(names = "--image-size", defaultValue = "64", description = "image side for --dataset folder (default: ${DEFAULT-VALUE})")
    int imageSize;

    @Option(names = "--backend", description = "auto, cpu or cuda (default: -Dcnn4j.backend, else CNN4J_BACKEND, else auto)")
    String backendName;

    @Option(names = {"-v", "--verbose"}, description = "stack traces on failure")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        OptionChecks.model(spec, model);
        OptionChecks.oneOf(spec, "--dataset", dataset, TrainingData.NAMES);
        OptionChecks.backend(spec, backendName);
        OptionChecks.atLeast(spec, "--batch-size", batchSize, 1);
        OptionChecks.atLeast(spec, "--limit-test", limitTest, 0);
        OptionChecks.atLeast(spec, "--image-size", imageSize, 1);
        Backend backend = Backends.resolve(backendName);
        TrainingData td = TrainingData.load(dataset, data, false, 0, limitTest, false, imageSize);
        System.out.println("data: " + td.sourceDescription() + "; evaluating " + td.test().size() + " test images");
        try (Backends.Use use = Backends.use(backend);
             Module net = ModelRegistry.create(model, td.modelOptions());
             DataLoader loader = new DataLoader(td.test(), batchSize, false, 0, false, td.testTransform())) {
            ModelArgs.loadWeights(weights, weightsKey, model, net, backend);
            Trainer evaluator = new Trainer(net, null, null, backend, 0f, 0, null);
            ClassificationMetrics m = evaluator.evaluate(loader, 0, td.numClasses());
            ConfusionTable.print(System.out, td.test().classNames(), m.confusion());
            System.out.printf(Locale.ROOT, "test loss %.4f, accuracy %.2f%%, top-5 %.2f%% on %d images%n", m.loss(),
                    100 * m.top1(), 100 * m.top5(), m.count());
        }
        return 0;
    }
}
