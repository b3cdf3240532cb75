package org.cnn4j.cli;

import org.cnn4j.data.Augmentations;
import org.cnn4j.data.DataLoader;
import picocli.CommandLine.Option;

/** The input-pipeline and TensorBoard options of {@code cnn train} (a picocli mixin). */
final class DataOptions {
    @Option(names = "--workers", description = "threads decoding and augmenting images (default: half the cores,"
            + " 1 to 8: ${DEFAULT-VALUE}); batches are the same whatever the number")
    int workers = DataLoader.defaultWorkers();

    @Option(names = "--skip-bad-images", description = "leave out images that do not decode or declare more than"
            + " 50 megapixels, naming each, instead of stopping (--dataset folder)")
    boolean skipBadImages;

    @Option(names = "--val-split", defaultValue = "0", description = "evaluate on this share of the training images,"
            + " held out per class with --seed, instead of the test set (--dataset folder; then test/ is optional)")
    double valSplit;

    @Option(names = "--random-resized-crop", description = "random resized crop instead of resize and centre crop"
            + " (--dataset folder, with --augment or alone)")
    boolean randomResizedCrop;

    @Option(names = "--trivial-augment", description = "TrivialAugmentWide on every training image")
    boolean trivialAugment;

    @Option(names = "--color-jitter", split = ",", paramLabel = "B,C,S,H",
            description = "colour jitter: brightness, contrast, saturation, hue (e.g. 0.4,0.4,0.4,0.1)")
    float[] colorJitter;

    @Option(names = "--random-erasing", defaultValue = "0", paramLabel = "P",
            description = "random erasing with probability P after normalisation (default: off)")
    double randomErasing;

    @Option(names = "--mixup", defaultValue = "0", paramLabel = "ALPHA",
            description = "MixUp with Beta(ALPHA, ALPHA) mixing weights (e.g. 0.2; default: off)")
    double mixup;

    @Option(names = "--cutmix", defaultValue = "0", paramLabel = "ALPHA",
            description = "CutMix with Beta(ALPHA, ALPHA) box areas (e.g. 1.0; default: off); with --mixup, each batch"
                    + " gets one of the two")
    double cutmix;

    @Option(names = "--tensorboard", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "write TensorBoard events (events.out.tfevents.*) into the output folder (default: on)")
    boolean tensorboard;

    @Option(names = "--histograms", description = "with TensorBoard, a histogram of every parameter each epoch")
    boolean histograms;

    /** The augmentations asked for; {@code augment} is the classic --augment (random crop and flip). */
    Augmentations augmentations(boolean augment, int cropPadding) {
        return new Augmentations(augment && !randomResizedCrop, cropPadding, augment, randomResizedCrop,
                trivialAugment, colorJitter, randomErasing, mixup, cutmix);
    }
}
