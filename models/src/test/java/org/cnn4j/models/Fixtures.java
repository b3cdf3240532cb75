package org.cnn4j.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the text fixtures written by tools/golden/make_model_fixtures.py and make_zoo_fixtures.py. */
final class Fixtures {
    private Fixtures() {
    }

    /** Whether resource {@code golden/<path>} exists. */
    static boolean exists(String path) {
        return Fixtures.class.getResource("/golden/" + path) != null;
    }

    /** The non-comment lines of resource {@code golden/<path>} (gunzipped when the name ends in .gz). */
    static List<String> lines(String path) {
        InputStream in = Fixtures.class.getResourceAsStream("/golden/" + path);
        if (in == null) {
            throw new IllegalStateException("missing fixture golden/" + path
                    + "; regenerate with tools/golden/make_model_fixtures.py or make_zoo_fixtures.py");
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                path.endsWith(".gz") ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The value after {@code "<label> "} on the line starting with it. */
    static String field(List<String> lines, String label) {
        for (String l : lines) {
            if (l.startsWith(label + " ")) {
                return l.substring(label.length() + 1).trim();
            }
        }
        throw new IllegalStateException("fixture has no '" + label + "' line");
    }
}
