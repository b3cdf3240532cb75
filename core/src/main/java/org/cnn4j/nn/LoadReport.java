package org.cnn4j.nn;

import java.util.List;

import org.cnn4j.tensor.Names;

/**
 * What {@link Module#loadStateDict(java.util.Map, boolean)} could not load: keys the module has but the state
 * lacks, keys the state has but the module lacks, and keys whose shapes differ (with both shapes).
 */
public record LoadReport(List<String> missingKeys, List<String> unexpectedKeys, List<String> shapeMismatches) {
    public LoadReport {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
        shapeMismatches = List.copyOf(shapeMismatches);
    }

    public boolean isClean() {
        return missingKeys.isEmpty() && unexpectedKeys.isEmpty() && shapeMismatches.isEmpty();
    }

    @Override
    public String toString() {
        if (isClean()) {
            return "all keys loaded";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, "missing keys", Names.list(missingKeys), missingKeys);
        append(sb, "unexpected keys", Names.list(unexpectedKeys), unexpectedKeys);
        append(sb, "shape mismatches", Names.listItems(shapeMismatches), shapeMismatches);
        return sb.toString();
    }

    /** Names come from files: escaped, and at most {@link Names#LIST_LIMIT} of each kind are listed. */
    private static void append(StringBuilder sb, String label, String shown, List<String> items) {
        if (!items.isEmpty()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(items.size()).append(' ').append(label).append(": ").append(shown);
        }
    }
}
