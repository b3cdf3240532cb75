package org.cnn4j.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Which training augmentations a run uses, and the transforms they make in the usual order: the geometric ones on
 * the raw image, then TrivialAugment and colour jitter (on pixels 0..255), {@link ToUnit}, normalisation, random
 * erasing (on normalised values); MixUp and CutMix on whole batches.
 *
 * @param randomCrop        pad by {@code cropPadding} and take a random window of the image's size
 * @param cropPadding       padding of the random crop
 * @param flip              horizontal flip with probability 0.5
 * @param randomResizedCrop {@link RandomResizedCrop} to the final size (image folders, instead of resize and
 *                          centre crop)
 * @param trivialAugment    {@link TrivialAugmentWide}
 * @param colorJitter       brightness, contrast, saturation, hue of {@link ColorJitter}, or null for none
 * @param erasing           probability of {@link RandomErasing}, 0 for none
 * @param mixupAlpha        {@link MixUp}'s alpha, 0 for none
 * @param cutmixAlpha       {@link CutMix}'s alpha, 0 for none; with MixUp, each batch gets one of the two
 */
public record Augmentations(boolean randomCrop, int cropPadding, boolean flip, boolean randomResizedCrop,
                            boolean trivialAugment, float[] colorJitter, double erasing, double mixupAlpha,
                            double cutmixAlpha) {

    public Augmentations {
        if (colorJitter != null && colorJitter.length != 4) {
            throw new IllegalArgumentException("color jitter: expected 4 values (brightness, contrast, saturation,"
                    + " hue), got " + colorJitter.length);
        }
        if (!(erasing >= 0 && erasing <= 1) || mixupAlpha < 0 || cutmixAlpha < 0 || cropPadding < 0) {
            throw new IllegalArgumentException("augmentations: expected erasing in [0, 1], mixup and cutmix alpha"
                    + " >= 0 and crop padding >= 0, got " + erasing + ", " + mixupAlpha + ", " + cutmixAlpha + ", "
                    + cropPadding);
        }
        colorJitter = colorJitter == null ? null : colorJitter.clone();
    }

    /** No augmentation. */
    public static Augmentations none() {
        return new Augmentations(false, 0, false, false, false, null, 0, 0, 0);
    }

    /** Random crop with {@code padding} and horizontal flip: the classic small-image recipe. */
    public static Augmentations cropAndFlip(int padding) {
        return new Augmentations(true, padding, true, false, false, null, 0, 0, 0);
    }

    /**
     * The training transform. {@code geometry} brings an image to the model's size (e.g. resize and centre crop,
     * or nothing for fixed-size datasets), replaced by a random resized crop to {@code size} when asked for;
     * {@code normalize} may be null.
     */
    public Transform train(List<Transform> geometry, int size, Transform normalize) {
        List<Transform> steps = new ArrayList<>();
        if (randomResizedCrop) {
            steps.add(new RandomResizedCrop(size));
        } else {
            steps.addAll(geometry);
        }
        if (randomCrop) {
            steps.add(new RandomCrop(size, cropPadding));
        }
        if (flip) {
            steps.add(new RandomHorizontalFlip(0.5));
        }
        if (trivialAugment) {
            steps.add(new TrivialAugmentWide());
        }
        if (colorJitter != null) {
            steps.add(new ColorJitter(colorJitter[0], colorJitter[1], colorJitter[2], colorJitter[3]));
        }
        steps.add(new ToUnit());
        if (normalize != null) {
            steps.add(normalize);
        }
        if (erasing > 0) {
            steps.add(new RandomErasing(erasing));
        }
        return new Compose(steps);
    }

    /** MixUp and/or CutMix over {@code numClasses}, or null when neither is asked for. */
    public BatchTransform batch(int numClasses) {
        if (mixupAlpha > 0 && cutmixAlpha > 0) {
            return BatchTransform.oneOf(new MixUp(mixupAlpha, numClasses), new CutMix(cutmixAlpha, numClasses));
        }
        if (mixupAlpha > 0) {
            return new MixUp(mixupAlpha, numClasses);
        }
        return cutmixAlpha > 0 ? new CutMix(cutmixAlpha, numClasses) : null;
    }
}
