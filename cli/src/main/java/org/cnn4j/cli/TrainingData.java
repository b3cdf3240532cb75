package org.cnn4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.cnn4j.data.Augmentations;
import org.cnn4j.data.BatchTransform;
import org.cnn4j.data.Cifar10;
import org.cnn4j.data.Compose;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageFolderDataset;
import org.cnn4j.data.ImageShape;
import org.cnn4j.data.Normalize;
import org.cnn4j.data.Resize;
import org.cnn4j.data.SequenceDataset;
import org.cnn4j.data.CenterCrop;
import org.cnn4j.data.Subset;
import org.cnn4j.data.ToUnit;
import org.cnn4j.data.Transform;
import org.cnn4j.data.ValidationSplit;
import org.cnn4j.models.ModelOptions;
import org.cnn4j.train.FitData;

/**
 * The datasets a training run uses, where they came from, their transforms, and the shape of one image after
 * them (what the model sees).
 */
record TrainingData(String name, Dataset train, Dataset test, String sourceDescription, Transform trainTransform,
                    Transform testTransform, ImageShape inputShape) {
    /** The accepted --dataset names (case-insensitive), aliases included. */
    static final String[] NAMES = {"fashion-mnist", "fashion_mnist", "fmnist", "cifar10", "cifar-10", "folder",
        "imagefolder", "sequence"};
    /** ImageNet's channel statistics, which ImageNet-pretrained models expect their inputs normalised with. */
    static final Normalize IMAGENET = new Normalize(new float[] {0.485f, 0.456f, 0.406f},
            new float[] {0.229f, 0.224f, 0.225f});

    static TrainingData load(String dataset, Path dataDir, boolean download, int limitTrain, int limitTest,
                             boolean augment, int imageSize, boolean imagenetStats) throws IOException {
        return load(dataset, dataDir, download, limitTrain, limitTest, new Input(augment
                ? Augmentations.cropAndFlip(0) : Augmentations.none(), ImageFolderDataset.Checks.strict(), 0, 0),
                imageSize, imagenetStats);
    }

    /**
     * How the images are read and augmented.
     *
     * @param valSplit share of the training images held out (per class, seeded by {@code seed}) as the test set,
     *                 0 for none (image folders only)
     */
    record Input(Augmentations augmentations, ImageFolderDataset.Checks checks, double valSplit, long seed) {
    }

    /**
     * @param imageSize     side the images of an image folder are resized to
     * @param imagenetStats normalise with ImageNet's statistics (for ImageNet-pretrained weights) instead of the
     *                      dataset's own
     */
    static TrainingData load(String dataset, Path dataDir, boolean download, int limitTrain, int limitTest,
                             Input input, int imageSize, boolean imagenetStats) throws IOException {
        String name = canonicalName(dataset);
        if (input.valSplit() > 0 && !name.equals("folder")) {
            throw new IllegalArgumentException("--val-split is for --dataset folder; " + dataset
                    + " has its own test set");
        }
        TrainingData full = switch (name) {
            case "fashion-mnist" -> fashion(dataDir, download, input.augmentations(), imagenetStats);
            case "cifar10" -> cifar(dataDir, input.augmentations(), imagenetStats);
            case "sequence" -> sequence(dataDir);
            default -> folder(dataDir, input, imageSize);
        };
        Dataset train = Subset.first(full.train, limitTrain);
        Dataset test = Subset.first(full.test, limitTest);
        return new TrainingData(full.name, train, test, full.sourceDescription, full.trainTransform,
                full.testTransform, full.inputShape);
    }

    /** The dataset's own name for any accepted spelling: fashion-mnist, cifar10, folder or sequence. */
    static String canonicalName(String dataset) {
        return switch (dataset.toLowerCase(Locale.ROOT)) {
            case "fashion-mnist", "fashion_mnist", "fmnist" -> "fashion-mnist";
            case "cifar10", "cifar-10" -> "cifar10";
            case "folder", "imagefolder" -> "folder";
            case "sequence" -> "sequence";
            default -> throw new IllegalArgumentException("unknown --dataset '" + dataset
                    + "'; expected fashion-mnist, cifar10, folder or sequence");
        };
    }

    /** The data as a run takes it, loaded by {@code workers} threads with {@code batchTransform} (or null). */
    FitData fitData(BatchTransform batchTransform, int workers) {
        return new FitData(train, trainTransform, test, testTransform, description(), batchTransform, workers);
    }

    /** Where the data came from, and how much of it is used when limited. */
    String description() {
        return sourceDescription + String.format(Locale.ROOT, "; using %d train and %d test images", train.size(),
                test.size());
    }

    int numClasses() {
        return train.classNames().size();
    }

    /** The model head, input channels and input size that fit this data. */
    ModelOptions modelOptions() {
        ModelOptions options = ModelOptions.numClasses(numClasses()).withInChannels(inputShape.channels())
                .withInputSize(inputShape.height());
        return train instanceof SequenceDataset s && s.vocabSize() > 0 ? options.withVocabSize(s.vocabSize())
                : options;
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
                null, null, split.train().shape());
    }

    private static TrainingData fashion(Path dataDir, boolean download, Augmentations aug, boolean imagenetStats)
            throws IOException {
        if (imagenetStats) {
            throw new IllegalArgumentException("ImageNet-pretrained models take 3-channel images; Fashion-MNIST has"
                    + " one channel: train from scratch, or use --dataset cifar10 or folder");
        }
        FashionMnist.Located found = FashionMnist.locate(dataDir, download);
        Normalize norm = new Normalize(new float[] {0.2860f}, new float[] {0.3530f});
        Transform test = new Compose(new ToUnit(), norm);
        Transform train = withCrop(aug, aug.randomCrop(), 2).train(List.of(), 28, norm);
        return new TrainingData("fashion-mnist", found.train(), found.test(), found.description(), train, test,
                found.train().shape());
    }

    private static TrainingData cifar(Path dataDir, Augmentations aug, boolean imagenetStats) throws IOException {
        if (dataDir == null) {
            throw new IllegalArgumentException("--dataset cifar10 needs --data DIR (the folder with"
                    + " data_batch_1.bin ... test_batch.bin from the CIFAR-10 binary version)");
        }
        Normalize norm = imagenetStats ? IMAGENET : new Normalize(new float[] {0.4914f, 0.4822f, 0.4465f},
                new float[] {0.2470f, 0.2435f, 0.2616f});
        Transform test = new Compose(new ToUnit(), norm);
        Transform train = withCrop(aug, aug.randomCrop(), 4).train(List.of(), 32, norm);
        Dataset tr = Cifar10.train(dataDir);
        Dataset te = Cifar10.test(dataDir);
        return new TrainingData("cifar10", tr, te, String.format(Locale.ROOT, "CIFAR-10 from %s (%d train, %d test)",
                dataDir, tr.size(), te.size()), train, test, tr.shape());
    }

    /** With or without the random crop, at the dataset's usual padding (the classic --augment recipe). */
    private static Augmentations withCrop(Augmentations a, boolean crop, int padding) {
        return new Augmentations(crop, padding, a.flip(), a.randomResizedCrop(), a.trivialAugment(),
                a.colorJitter(), a.erasing(), a.mixupAlpha(), a.cutmixAlpha());
    }

    /**
     * {@code DIR/train/<class>/*.png} and {@code DIR/test/<class>/*.png} (or {@code val}); with a validation split,
     * the test set is held out of {@code DIR/train} (or of {@code DIR} itself when it has no train/ folder).
     */
    private static TrainingData folder(Path dataDir, Input input, int size) throws IOException {
        if (dataDir == null) {
            throw new IllegalArgumentException("--dataset folder needs --data DIR with train/ and test/ (or val/)"
                    + " sub-folders, each holding one folder per class");
        }
        Path trainDir = dataDir.resolve("train");
        Path testDir = Files.isDirectory(dataDir.resolve("test")) ? dataDir.resolve("test") : dataDir.resolve("val");
        boolean split = input.valSplit() > 0;
        if (split && !Files.isDirectory(trainDir)) {
            trainDir = dataDir;
        }
        for (Path p : split ? List.of(trainDir) : List.of(trainDir, testDir)) {
            if (!Files.isDirectory(p)) {
                throw new IOException(p + ": no such folder; --dataset folder expects train/ and test/ (or val/)"
                        + " inside " + dataDir + (split ? "" : ", or class folders with --val-split"));
            }
        }
        ImageFolderDataset all = ImageFolderDataset.open(trainDir, ImageFolderDataset.ColorMode.RGB, input.checks());
        Dataset tr;
        Dataset te;
        String testDescription;
        if (split) {
            ValidationSplit held = ValidationSplit.of(all, all::label, input.valSplit(), input.seed());
            tr = held.train();
            te = held.validation();
            testDescription = String.format(Locale.ROOT, "%d held out for validation", te.size());
        } else {
            tr = all;
            te = ImageFolderDataset.open(testDir, ImageFolderDataset.ColorMode.RGB, input.checks());
            testDescription = te.size() + " test";
            if (!tr.classNames().equals(te.classNames())) {
                throw new IOException("class folders differ: " + trainDir + " has " + tr.classNames() + ", "
                        + testDir + " has " + te.classNames());
            }
        }
        Normalize norm = IMAGENET;
        List<Transform> common = new ArrayList<>(List.of(new Resize(size), new CenterCrop(size)));
        Transform test = compose(common, new ToUnit(), norm);
        // images are resized to the model's size first: --augment means flips only, no padded crop
        Transform train = withCrop(input.augmentations(), false, 0).train(common, size, norm);
        return new TrainingData("folder", tr, te, String.format(Locale.ROOT, "image folders under %s (%d train, %s,"
                + " %d classes)", dataDir, tr.size(), testDescription, tr.classNames().size()), train, test,
                new ImageShape(3, size, size));
    }

    private static Transform compose(List<Transform> first, Transform... rest) {
        List<Transform> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return new Compose(all);
    }
}
