package org.cnn4j.io.pth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A Python tuple read from a pickle (None is null): immutable, so it may be a dict key when its items may. */
record Tuple(List<Object> items) {
    Tuple {
        items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    int size() {
        return items.size();
    }

    Object get(int i) {
        return items.get(i);
    }
}
