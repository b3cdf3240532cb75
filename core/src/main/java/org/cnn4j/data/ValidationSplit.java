package org.cnn4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Holds out a share of a dataset for validation, class by class (stratified), reproducibly: which examples are
 * held out depends only on the seed, the labels and the fraction. Each class keeps at least one training example
 * and gives {@code round(fraction * count)} to validation.
 */
public record ValidationSplit(Subset train, Subset validation) {

    /**
     * @param labels the label of each example of {@code base}, read without decoding it (e.g.
     *               {@link ImageFolderDataset#label})
     */
    public static ValidationSplit of(Dataset base, IntUnaryOperator labels, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation split: expected a fraction in (0, 1), got " + fraction);
        }
        int classes = base.classNames().size();
        List<List<Integer>> perClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            perClass.add(new ArrayList<>());
        }
        for (int i = 0; i < base.size(); i++) {
            int label = labels.applyAsInt(i);
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("validation split: example " + i + " has label " + label
                        + " outside [0, " + classes + ")");
            }
            perClass.get(label).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> members = perClass.get(c);
            SplittableRandom rng = new SplittableRandom(DataLoader.mix(seed, c));
            for (int i = members.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                members.set(i, members.set(j, members.get(i)));
            }
            int held = (int) Math.min(Math.round(fraction * members.size()), Math.max(0, members.size() - 1));
            validation.addAll(members.subList(0, held));
            train.addAll(members.subList(held, members.size()));
        }
        if (validation.isEmpty()) {
            throw new IllegalArgumentException("validation split: " + fraction + " of " + base.size()
                    + " examples holds out none; use a larger fraction");
        }
        train.sort(null);
        validation.sort(null);
        return new ValidationSplit(Subset.of(base, toArray(train)), Subset.of(base, toArray(validation)));
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
