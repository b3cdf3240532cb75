package org.cnn4j.tensor;

import java.util.Collection;

/**
 * Tensor and key names as they may appear in messages. Names come from files, so they may hold terminal escape
 * codes, line breaks or megabytes of text: {@link #quote} escapes control and bidirectional-override characters
 * and shortens long names, {@link #list} shows at most {@value #LIST_LIMIT} of a collection and counts the rest.
 */
public final class Names {
    /** Names shown by {@link #list} before "... and N more". */
    public static final int LIST_LIMIT = 20;
    /** Characters of one name shown by {@link #quote} before it is cut. */
    public static final int NAME_LIMIT = 120;

    private Names() {
    }

    /** {@code 'name'} with unprintable characters escaped as {@code \\uXXXX} and long names cut. */
    public static String quote(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(name.length(), NAME_LIMIT) + 24).append('\'');
        escape(name, NAME_LIMIT, sb);
        return sb.append('\'').toString();
    }

    /** The first {@value #LIST_LIMIT} names, quoted and comma-separated, then "... and N more". */
    public static String list(Collection<String> names) {
        return join(names, true);
    }

    /**
     * Like {@link #list} for items that are already phrases (e.g. "'fc.weight': checkpoint [10] vs model [5]"):
     * escaped and cut, not quoted.
     */
    public static String listItems(Collection<String> items) {
        return join(items, false);
    }

    private static String join(Collection<String> items, boolean quoted) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (String item : items) {
            if (shown == LIST_LIMIT) {
                break;
            }
            if (shown++ > 0) {
                sb.append(", ");
            }
            if (quoted) {
                sb.append(quote(item));
            } else {
                escape(item, 2 * NAME_LIMIT, sb);
            }
        }
        if (items.size() > shown) {
            sb.append(" ... and ").append(items.size() - shown).append(" more");
        }
        return sb.toString();
    }

    /**
     * A whole message made safe for a terminal: unprintable characters escaped and, beyond {@code maxChars},
     * cut with a count of what was left out.
     */
    public static String clean(String message, int maxChars) {
        StringBuilder sb = new StringBuilder(Math.min(message.length(), maxChars) + 32);
        escape(message, maxChars, sb);
        return sb.toString();
    }

    private static void escape(String text, int maxChars, StringBuilder sb) {
        int limit = Math.min(text.length(), maxChars);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (unprintable(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > limit) {
            sb.append("...(").append(text.length() - limit).append(" more characters)");
        }
    }

    /** C0 and C1 controls, DEL, and the bidirectional overrides and isolates that reorder displayed text. */
    private static boolean unprintable(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029;
    }
}
