package org.cnn4j.models;

/**
 * Options for {@link ModelRegistry#create}: {@code numClasses} and {@code inChannels} (0 = the model's default:
 * 1000 classes and 3 channels for the ImageNet models, 10 and 1 or 3 for the small ones), ResNet's
 * {@code zeroInitResidual} (zero the last BN weight of each residual block, as torchvision's flag),
 * {@code inputSize}, the side of the square images the model will see (0 = the model's default input). Models
 * with global pooling take any size; those that flatten a fixed feature map (the small MNIST-size models) size
 * their first linear layer from it. {@code vocabSize} is the number of token ids of a text model's embedding
 * (0 = the model's default).
 */
public record ModelOptions(int numClasses, int inChannels, boolean zeroInitResidual, int inputSize, int vocabSize) {
    public static final ModelOptions DEFAULTS = new ModelOptions(0, 0, false, 0, 0);

    public ModelOptions {
        if (numClasses < 0 || inChannels < 0 || inputSize < 0 || vocabSize < 0) {
            throw new IllegalArgumentException("ModelOptions: numClasses, inChannels, inputSize and vocabSize must be"
                    + " >= 1 (or 0 for the model's default), got numClasses=" + numClasses + " inChannels="
                    + inChannels + " inputSize=" + inputSize + " vocabSize=" + vocabSize);
        }
    }

    public ModelOptions(int numClasses, int inChannels, boolean zeroInitResidual, int inputSize) {
        this(numClasses, inChannels, zeroInitResidual, inputSize, 0);
    }

    public ModelOptions(int numClasses, int inChannels, boolean zeroInitResidual) {
        this(numClasses, inChannels, zeroInitResidual, 0, 0);
    }

    public static ModelOptions numClasses(int numClasses) {
        return DEFAULTS.withNumClasses(numClasses);
    }

    public ModelOptions withNumClasses(int n) {
        return new ModelOptions(n, inChannels, zeroInitResidual, inputSize, vocabSize);
    }

    public ModelOptions withInChannels(int c) {
        return new ModelOptions(numClasses, c, zeroInitResidual, inputSize, vocabSize);
    }

    public ModelOptions withZeroInitResidual(boolean z) {
        return new ModelOptions(numClasses, inChannels, z, inputSize, vocabSize);
    }

    public ModelOptions withInputSize(int side) {
        return new ModelOptions(numClasses, inChannels, zeroInitResidual, side, vocabSize);
    }

    public ModelOptions withVocabSize(int v) {
        return new ModelOptions(numClasses, inChannels, zeroInitResidual, inputSize, v);
    }

    int numClassesOr(int modelDefault) {
        return numClasses == 0 ? modelDefault : numClasses;
    }

    int inChannelsOr(int modelDefault) {
        return inChannels == 0 ? modelDefault : inChannels;
    }

    int inputSizeOr(int modelDefault) {
        return inputSize == 0 ? modelDefault : inputSize;
    }

    int vocabSizeOr(int modelDefault) {
        return vocabSize == 0 ? modelDefault : vocabSize;
    }
}
