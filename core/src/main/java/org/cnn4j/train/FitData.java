package org.cnn4j.train;

import java.util.List;
import java.util.Objects;

import org.cnn4j.data.Dataset;
import org.cnn4j.data.Transform;

/**
 * The data of a run: the training set with its transform (augmentation, normalisation) and the test set with its
 * own, and where they came from (for metrics.json). The class names are the training set's; the test set must
 * have the same.
 */
public record FitData(Dataset train, Transform trainTransform, Dataset test, Transform testTransform,
                      String description) {
    public FitData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (!train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("the training and test sets have different classes: "
                    + train.classNames().size() + " and " + test.classNames().size());
        }
    }

    public List<String> classNames() {
        return train.classNames();
    }

    public int numClasses() {
        return train.classNames().size();
    }
}
