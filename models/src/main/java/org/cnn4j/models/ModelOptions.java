package org.cnn4j.models;

/**
 * Options for {@link ModelRegistry#create}: {@code numClasses} and {@code inChannels} (0 = the model's default:
 * 1000 classes and 3 channels for the ImageNet models, 10 and 1 or 3 for the small ones), ResNet's
 * {@code zeroInitResidual} (zero the last BN weight of each residual block, as torchvision's flag) and
 * {@code vocabSize}, the number of token ids of a text model's embedding (0 = the model's default).
 */
public record ModelOptions(int numClasses, int inChannels, boolean zeroInitResidual, int vocabSize) {
    public static final ModelOptions DEFAULTS = new ModelOptions(0, 0, false, 0);

    public ModelOptions {
        if (numClasses < 0 || inChannels < 0 || vocabSize < 0) {
            throw new IllegalArgumentException("ModelOptions: numClasses, inChannels and vocabSize must be >= 1 (or 0"
                    + " for the model's default), got numClasses=" + numClasses + " inChannels=" + inChannels
                    + " vocabSize=" + vocabSize);
        }
    }

    public ModelOptions(int numClasses, int inChannels, boolean zeroInitResidual) {
        this(numClasses, inChannels, zeroInitResidual, 0);
    }

    public static ModelOptions numClasses(int numClasses) {
        return DEFAULTS.withNumClasses(numClasses);
    }

    public ModelOptions withNumClasses(int n) {
        return new ModelOptions(n, inChannels, zeroInitResidual, vocabSize);
    }

    public ModelOptions withInChannels(int c) {
        return new ModelOptions(numClasses, c, zeroInitResidual, vocabSize);
    }

    public ModelOptions withZeroInitResidual(boolean z) {
        return new ModelOptions(numClasses, inChannels, z, vocabSize);
    }

    public ModelOptions withVocabSize(int v) {
        return new ModelOptions(numClasses, inChannels, zeroInitResidual, v);
    }

    int numClassesOr(int modelDefault) {
        return numClasses == 0 ? modelDefault : numClasses;
    }

    int inChannelsOr(int modelDefault) {
        return inChannels == 0 ? modelDefault : inChannels;
    }

    int vocabSizeOr(int modelDefault) {
        return vocabSize == 0 ? modelDefault : vocabSize;
    }
}
