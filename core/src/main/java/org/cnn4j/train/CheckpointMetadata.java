package org.cnn4j.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.cnn4j.tensor.Names;

/**
 * Reads the JSON entries of a checkpoint's metadata, turning Jackson's multi-line messages (with source
 * excerpts and class names) into one line that names the file, the entry and what is wrong.
 */
final class CheckpointMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointMetadata() {
    }

    static <T> T parse(Path file, Map<String, String> meta, String key, Class<T> type) throws IOException {
        String text = require(file, meta, key);
        try {
            return notNull(file, key, JSON.readValue(text, type));
        } catch (JsonProcessingException e) {
            throw corrupt(file, key, describe(e));
        }
    }

    static <T> T parse(Path file, Map<String, String> meta, String key, TypeReference<T> type) throws IOException {
        String text = require(file, meta, key);
        try {
            return notNull(file, key, JSON.readValue(text, type));
        } catch (JsonProcessingException e) {
            throw corrupt(file, key, describe(e));
        }
    }

    /** epochs_done: an integer in [0, epochs] that matches the history's length and numbering. */
    static int epochsDone(Path file, Map<String, String> meta, TrainConfig config, List<EpochResult> history)
            throws IOException {
        String text = require(file, meta, "epochs_done");
        int done;
        try {
            done = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw corrupt(file, "epochs_done", Names.quote(text) + " is not a whole number");
        }
        if (done < 0 || done > config.epochs() || done != history.size()) {
            throw corrupt(file, "epochs_done", done + " does not fit the run's " + config.epochs() + " epochs and"
                    + " its history of " + history.size());
        }
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i) == null || history.get(i).epoch() != i + 1) {
                throw corrupt(file, "history", "entry " + (i + 1) + " is not epoch " + (i + 1));
            }
        }
        return done;
    }

    private static String require(Path file, Map<String, String> meta, String key) throws IOException {
        String text = meta.get(key);
        if (text == null) {
            throw corrupt(file, key, "missing");
        }
        return text;
    }

    private static <T> T notNull(Path file, String key, T value) throws IOException {
        if (value == null) {
            throw corrupt(file, key, "null");
        }
        return value;
    }

    private static IOException corrupt(Path file, String key, String problem) {
        return new IOException(file + ": corrupt checkpoint metadata: '" + key + "' " + problem);
    }

    /** One short line for what Jackson found; never its source excerpt or class names. */
    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "has an unknown field " + Names.quote(u.getPropertyName());
        }
        if (e instanceof InvalidFormatException f) {
            return "field " + path(f) + " cannot be " + Names.quote(String.valueOf(f.getValue()));
        }
        if (e instanceof MismatchedInputException m) {
            return m.getPath().isEmpty() ? "has the wrong structure" : "field " + path(m) + " has the wrong type";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException && root.getMessage() != null) {
            String where = e instanceof JsonMappingException jm && !jm.getPath().isEmpty() ? " in " + path(jm) : "";
            return "is invalid" + where + ": " + Names.clean(root.getMessage(), 200);
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        int newline = original.indexOf('\n');
        return "is not valid JSON (" + Names.clean(newline < 0 ? original : original.substring(0, newline), 120)
                + ")";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .map(s -> Names.clean(s, 60))
                .collect(Collectors.joining(".", "'", "'"));
    }
}
