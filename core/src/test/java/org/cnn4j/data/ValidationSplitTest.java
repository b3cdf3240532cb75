package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ValidationSplitTest {
    /** 100 examples: labels 0 (60 of them), 1 (30) and 2 (10); example i's pixels are all i. */
    private static ArrayDataset dataset() {
        byte[] pixels = new byte[100];
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) {
            pixels[i] = (byte) i;
            labels[i] = i < 60 ? 0 : i < 90 ? 1 : 2;
        }
        return new ArrayDataset(pixels, labels, new ImageShape(1, 1, 1), List.of("a", "b", "c"));
    }

    private static int[] ids(Dataset d) {
        int[] ids = new int[d.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) d.get(i).image()[0];
        }
        return ids;
    }

    @Test
    void stratifiedDisjointCompleteAndSeeded() {
        ArrayDataset ds = dataset();
        ValidationSplit split = ValidationSplit.of(ds, i -> ds.get(i).label(), 0.2, 7);
        assertEquals(20, split.validation().size());
        assertEquals(80, split.train().size());
        int[] perClass = new int[3];
        for (int id : ids(split.validation())) {
            perClass[id < 60 ? 0 : id < 90 ? 1 : 2]++;
        }
        assertArrayEquals(new int[] {12, 6, 2}, perClass, "20% of each class");
        Set<Integer> all = new HashSet<>();
        Arrays.stream(ids(split.train())).forEach(all::add);
        Arrays.stream(ids(split.validation())).forEach(all::add);
        assertEquals(100, all.size(), "disjoint and complete");
        assertArrayEquals(ids(split.validation()), ids(ValidationSplit.of(ds, i -> ds.get(i).label(), 0.2, 7)
                .validation()), "same seed, same split");
        assertNotEquals(Arrays.toString(ids(split.validation())), Arrays.toString(ids(ValidationSplit.of(ds,
                i -> ds.get(i).label(), 0.2, 8).validation())), "another seed, another split");
    }

    @Test
    void everyClassKeepsATrainingExample() {
        ArrayDataset ds = dataset();
        ValidationSplit split = ValidationSplit.of(ds, i -> ds.get(i).label(), 0.99, 1);
        assertEquals(97, split.validation().size(), "59 + 29 + 9");
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(ds, i -> 0, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(ds, i -> 0, 0.001, 1));
    }
}
