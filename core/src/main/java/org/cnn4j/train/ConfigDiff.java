package org.cnn4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The rule for resuming: a resumed run keeps every setting of the run it continues, except that it may run for
 * more epochs. Anything else (learning rate, batch size, schedule, augmentation, ...) would make the result
 * differ from an uninterrupted run while looking like one, so it is refused with the differences listed; to
 * train on with other settings, start a new run from the checkpoint's weights.
 */
final class ConfigDiff {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigDiff() {
    }

    static void requireResumable(TrainConfig saved, TrainConfig wanted, Path checkpoint) {
        List<String> changes = differences(saved, wanted);
        if (!changes.isEmpty()) {
            throw new IllegalArgumentException("a resumed run keeps the settings of " + checkpoint + ", but "
                    + String.join(", ", changes) + "; only the number of epochs may change. To train on with other"
                    + " settings, start a new run from its weights (cnn train --weights " + checkpoint + ")");
        }
    }

    /** "lr 0.01 instead of 0.003" for every field but epochs that differs. */
    static List<String> differences(TrainConfig saved, TrainConfig wanted) {
        JsonNode a = JSON.valueToTree(saved);
        JsonNode b = JSON.valueToTree(wanted);
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode other = b.get(e.getKey());
            if (!e.getKey().equals("epochs") && !e.getValue().equals(other)) {
                out.add(e.getKey() + " " + text(other) + " instead of " + text(e.getValue()));
            }
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "(none)" : n.isTextual() ? n.asText() : n.toString();
    }
}
