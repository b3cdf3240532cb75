package org.cnn4j.train;

import java.util.List;
import java.util.Objects;

import org.cnn4j.data.BatchTransform;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.Dataset;
import org.cnn4j.data.Transform;

/**
 * The data of a run: the training set with its transform (augmentation, normalisation) and the test set with its
 * own, where they came from (for metrics.json), the training batches' transform (MixUp, CutMix; null for none)
 * and how many threads load them (the batches do not depend on it). The class names are the training set's; the
 * test set must have the same.
 */
public record FitData(Dataset train, Transform trainTransform, Dataset test, Transform testTransform,
                      String description, BatchTransform trainBatchTransform, int workers) {
    public FitData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("the training and test sets have different classes: "
                    + train.classNames().size() + " and " + test.classNames().size());
        }
    }

    /** No batch transform, the loader's default number of workers. */
    public FitData(Dataset train, Transform trainTransform, Dataset test, Transform testTransform,
                   String description) {
        this(train, trainTransform, test, testTransform, description, null, DataLoader.defaultWorkers());
    }

    public List<String> classNames() {
        return train.classNames();
    }

    public int numClasses() {
        return train.classNames().size();
    }
}
