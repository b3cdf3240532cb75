package org.cnn4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.cnn4j.nn.LoadReport;
import org.junit.jupiter.api.Test;

class NamesTest {
    private static final String CLEAR_SCREEN = "\u001b[2J\u001b[H";

    private static boolean hasControlCharacters(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e));
    }

    @Test
    void escapeCodesAndLineBreaksAreEscaped() {
        String q = Names.quote("fc" + CLEAR_SCREEN + ".weight\nevil\u202e");
        assertFalse(hasControlCharacters(q), q);
        assertEquals("'fc\\u001b[2J\\u001b[H.weight\\u000aevil\\u202e'", q);
    }

    @Test
    void longNamesAreCut() {
        String q = Names.quote("x".repeat(100_000));
        assertTrue(q.length() < Names.NAME_LIMIT + 40, q.length() + " chars");
        assertTrue(q.contains("99880 more characters"), q);
    }

    @Test
    void longListsAreCappedWithACount() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            keys.add("key" + i);
        }
        String s = Names.list(keys);
        assertTrue(s.startsWith("'key0', 'key1'"), s);
        assertTrue(s.endsWith("... and 199980 more"), s);
        assertTrue(s.length() < 400, s.length() + " chars");
    }

    @Test
    void loadReportWithHostileKeysStaysShortAndPrintable() {
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            unexpected.add(CLEAR_SCREEN + "layer" + i + ".weight");
        }
        String text = new LoadReport(List.of("fc.weight"), unexpected, List.of()).toString();
        assertFalse(hasControlCharacters(text), text);
        assertTrue(text.length() < 2000, text.length() + " chars");
        assertTrue(text.contains("200000 unexpected keys"), text);
        assertTrue(text.contains("... and 199980 more"), text);
    }

    @Test
    void cleanCutsWholeMessages() {
        String c = Names.clean("a\tb" + "y".repeat(5000), 100);
        assertTrue(c.startsWith("a\\u0009b"), c);
        assertTrue(c.endsWith("(4903 more characters)"), c);
    }
}
