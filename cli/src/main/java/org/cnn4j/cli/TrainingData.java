package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cnn4j.data.Cifar10;
import org.cnn4j.data.Compose;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageFolderDataset;
import org.cnn4j.data.Normalize;
import org.cnn4j.data.RandomCrop;
import org.cnn4j.data.RandomHorizontalFlip;
import org.cnn4j.data.Resize;
import org.cnn4j.data.SequenceDataset;
import org.cnn4j.data.CenterCrop;
import org.cnn4j.data.Subset;
import org.cnn4j.data.ToUnit;
import org.cnn4j.data.Transform;
import org.cnn4j.models.ModelOptions;

/** The datasets a training run uses, where they came from, and their transforms. */
record TrainingData(String name, Dataset train, Dataset test, String sourceDescription, Transform trainTransform,
                    Transform testTransform) {
    /** The accepted --dataset names (case-insensitive), aliases included. */
    static final String[] NAMES = {"fashion-mnist", "fashion_mnist", "fmnist", "cifar10", "cifar-10", "folder",
        "imagefolder", "sequence"};

    static TrainingData load(String dataset, Path dataDir, boolean download, int limitTrain, int limitTest,
                             boolean augment, int imageSize) throws IOException {
        TrainingData full = switch (dataset.toLowerCase(Locale.ROOT)) {
            case "fashion-mnist", "fashion_mnist", "fmnist" -> fashion(dataDir, download, augment);
            case "cifar10", "cifar-10" -> cifar(dataDir, augment);
            case "folder", "imagefolder" -> folder(dataDir, augment, imageSize);
            case "sequence" -> sequence(dataDir);
            default -> throw new IllegalArgumentException("unknown --dataset '" + dataset
                    + "'; expected fashion-mnist, cifar10, folder or sequence");
        };
        Dataset train = Subset.first(full.train, limitTrain);
        Dataset test = Subset.first(full.test, limitTest);
        return new TrainingData(full.name, train, test, full.sourceDescription, full.trainTransform,
                full.testTransform);
    }

    /** Where the data came from, and how much of it is used when limited. */
    String description() {
        return sourceDescription + String.format(Locale.ROOT, "; using %d train and %d test images", train.size(),
                test.size());
    }

    int numClasses() {
        return train.classNames().size();
    }

    /** The model head and input channels that fit this data. */
    ModelOptions modelOptions() {
        ModelOptions options = ModelOptions.numClasses(numClasses());
        if (train instanceof SequenceDataset s && s.vocabSize() > 0) {
            options = options.withVocabSize(s.vocabSize());
        }
        return train.shape() == null ? options : options.withInChannels(train.shape().channels());
    }

    /** {@code DIR/train.csv} and {@code DIR/test.csv} of token ids or samples (format: {@link SequenceDataset}). */
    private static TrainingData sequence(Path dataDir) throws IOException {
        if (dataDir == null) {
            throw new IllegalArgumentException("--dataset sequence needs --data DIR with train.csv and test.csv"
                    + " (header 'label,tokens' or 'label,samples', then lines 'label,v1 v2 ...')");
        }
        SequenceDataset.Split split = SequenceDataset.read(dataDir);
        String what = split.kind() == SequenceDataset.Kind.TOKENS
                ? String.format(Locale.ROOT, "token ids below %d", split.vocabSize()) : "float samples";
        return new TrainingData("sequence", split.train(), split.test(), String.format(Locale.ROOT,
                "sequences of %s under %s (%d train, %d test, %d classes, padded to %d)", what, dataDir,
                split.train().size(), split.test().size(), split.train().classNames().size(), split.length()),
                null, null);
    }

    private static TrainingData fashion(Path dataDir, boolean download, boolean augment) throws IOException {
        FashionMnist.Located found = FashionMnist.locate(dataDir, download);
        Normalize norm = new Normalize(new float[] {0.2860f}, new float[] {0.3530f});
        Transform test = new Compose(new ToUnit(), norm);
        Transform train = augment ? new Compose(new RandomCrop(28, 2), new RandomHorizontalFlip(0.5), new ToUnit(),
                norm) : test;
        return new TrainingData("fashion-mnist", found.train(), found.test(), found.description(), train, test);
    }

    private static TrainingData cifar(Path dataDir, boolean augment) throws IOException {
        if (dataDir == null) {
            throw new IllegalArgumentException("--dataset cifar10 needs --data DIR (the folder with"
                    + " data_batch_1.bin ... test_batch.bin from the CIFAR-10 binary version)");
        }
        Normalize norm = new Normalize(new float[] {0.4914f, 0.4822f, 0.4465f},
                new float[] {0.2470f, 0.2435f, 0.2616f});
        Transform test = new Compose(new ToUnit(), norm);
        Transform train = augment ? new Compose(new RandomCrop(32, 4), new RandomHorizontalFlip(0.5), new ToUnit(),
                norm) : test;
        Dataset tr = Cifar10.train(dataDir);
        Dataset te = Cifar10.test(dataDir);
        return new TrainingData("cifar10", tr, te, String.format(Locale.ROOT, "CIFAR-10 from %s (%d train, %d test)",
                dataDir, tr.size(), te.size()), train, test);
    }

    /** {@code DIR/train/<class>/*.png} and {@code DIR/test/<class>/*.png} (or {@code val}). */
    private static TrainingData folder(Path dataDir, boolean augment, int size) throws IOException {
        if (dataDir == null) {
            throw new IllegalArgumentException("--dataset folder needs --data DIR with train/ and test/ (or val/)"
                    + " sub-folders, each holding one folder per class");
        }
        Path trainDir = dataDir.resolve("train");
        Path testDir = Files.isDirectory(dataDir.resolve("test")) ? dataDir.resolve("test") : dataDir.resolve("val");
        for (Path p : List.of(trainDir, testDir)) {
            if (!Files.isDirectory(p)) {
                throw new IOException(p + ": no such folder; --dataset folder expects train/ and test/ (or val/)"
                        + " inside " + dataDir);
            }
        }
        Dataset tr = ImageFolderDataset.open(trainDir, ImageFolderDataset.ColorMode.RGB);
        Dataset te = ImageFolderDataset.open(testDir, ImageFolderDataset.ColorMode.RGB);
        if (!tr.classNames().equals(te.classNames())) {
            throw new IOException("class folders differ: " + trainDir + " has " + tr.classNames() + ", " + testDir
                    + " has " + te.classNames());
        }
        Normalize norm = new Normalize(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
        List<Transform> common = new ArrayList<>(List.of(new Resize(size), new CenterCrop(size)));
        Transform test = compose(common, new ToUnit(), norm);
        Transform train = augment ? compose(common, new RandomHorizontalFlip(0.5), new ToUnit(), norm) : test;
        return new TrainingData("folder", tr, te, String.format(Locale.ROOT, "image folders under %s (%d train, %d"
                + " test, %d classes)", dataDir, tr.size(), te.size(), tr.classNames().size()), train, test);
    }

    private static Transform compose(List<Transform> first, Transform... rest) {
        List<Transform> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return new Compose(all);
    }
}
