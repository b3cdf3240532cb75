package org.cnn4j.io.pth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the state_dict (names to tensors) in an unpickled object: the object itself, or the value under a key of a
 * top-level dict (training checkpoints: {@code {"model": ..., "optimizer": ..., "epoch": ...}}). Without a key, a
 * dict holding exactly one state_dict yields it; with none or several, the error lists the keys.
 */
final class StateDictSelector {
    private static final int MAX_LISTED = 20;

    private StateDictSelector() {
    }

    static Map<String, TensorRef> select(Object root, String key) throws PthFormatException {
        if (key != null) {
            if (!(root instanceof Map<?, ?> top)) {
                throw new PthFormatException("weights key '" + key + "' given, but the file holds "
                        + PickleValues.describe(root) + ", not a dict");
            }
            if (!top.containsKey(key)) {
                throw new PthFormatException("has no key '" + key + "'; its keys are " + keys(top));
            }
            Map<String, TensorRef> sd = asStateDict(top.get(key));
            if (sd == null) {
                throw new PthFormatException("'" + key + "' holds " + PickleValues.describe(top.get(key))
                        + ", not a state_dict (names to tensors)" + contents(top.get(key)));
            }
            return sd;
        }
        Map<String, TensorRef> sd = asStateDict(root);
        if (sd != null) {
            return sd;
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new PthFormatException("holds " + PickleValues.describe(root) + ", not a state_dict (a dict of names"
                    + " to tensors)");
        }
        List<String> candidates = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof Map<?, ?> v && !v.isEmpty()
                    && asStateDict(v) != null) {
                candidates.add(k);
            }
        }
        if (candidates.size() == 1) {
            return asStateDict(top.get(candidates.get(0)));
        }
        if (candidates.isEmpty()) {
            throw new PthFormatException("holds no state_dict: neither the top-level dict nor any value in it maps"
                    + " names to tensors; its keys are " + keys(top));
        }
        throw new PthFormatException("holds " + candidates.size() + " state_dicts, under " + quoted(candidates)
                + "; choose one with --weights-key (its keys are " + keys(top) + ")");
    }

    /** The map as a state_dict, or null if it is not a dict of string keys and tensor values. */
    private static Map<String, TensorRef> asStateDict(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TensorRef t)) {
                return null;
            }
            out.put(k, t);
        }
        return out;
    }

    /** For a dict that is not a state_dict, which entry is not a tensor. */
    private static String contents(Object o) {
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String) || !(e.getValue() instanceof TensorRef)) {
                    return "; e.g. " + PickleValues.describe(e.getKey()) + " maps to " + PickleValues.describe(e.getValue());
                }
            }
        }
        return "";
    }

    private static String keys(Map<?, ?> m) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (names.size() == MAX_LISTED) {
                names.add("... (" + m.size() + " in all)");
                break;
            }
            names.add(PickleValues.describe(e.getKey()) + " (" + kind(e.getValue()) + ")");
        }
        return "[" + String.join(", ", names) + "]";
    }

    private static String kind(Object v) {
        if (asStateDict(v) != null) {
            return "state_dict of " + ((Map<?, ?>) v).size();
        }
        return v == null ? "None" : PickleValues.typeName(v.getClass());
    }

    private static String quoted(List<String> names) {
        return "'" + String.join("', '", names) + "'";
    }
}
