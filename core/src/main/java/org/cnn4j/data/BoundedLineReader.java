package org.cnn4j.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads text lines like {@link java.io.BufferedReader#readLine()} (ended by {@code \n}, {@code \r} or
 * {@code \r\n}), but refuses a line longer than a cap before holding more than the cap in memory, so one endless
 * line in a hostile or mistaken file gives a one-line error instead of exhausting the heap.
 */
final class BoundedLineReader implements Closeable {
    private final Reader in;
    private final String source;
    private final int maxChars;
    private final String expected;
    private final char[] buffer = new char[8192];
    private int pos;
    private int end;
    private int lineNumber;
    private boolean skipLineFeed;

    /**
     * @param source   the file's name, for messages
     * @param maxChars the longest line accepted, terminator excluded
     * @param expected what a line holds, for the message of a line that is too long
     */
    BoundedLineReader(Reader in, String source, int maxChars, String expected) {
        this.in = in;
        this.source = source;
        this.maxChars = maxChars;
        this.expected = expected;
    }

    /** The next line without its terminator, or null at the end of the input. */
    String readLine() throws IOException {
        StringBuilder line = null;
        while (true) {
            if (pos == end) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    if (line == null) {
                        return null;
                    }
                    lineNumber++;
                    return line.toString();
                }
                pos = 0;
                end = n;
                continue;
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (buffer[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            while (pos < end && buffer[pos] != '\n' && buffer[pos] != '\r') {
                pos++;
            }
            if (line == null) {
                line = new StringBuilder();
            }
            if ((long) line.length() + (pos - start) > maxChars) {
                throw new DataFormatException(source + " line " + (lineNumber + 1) + " is longer than " + maxChars
                        + " characters, the most a line may hold (" + expected + ")");
            }
            line.append(buffer, start, pos - start);
            if (pos < end) {
                skipLineFeed = buffer[pos++] == '\r';
                lineNumber++;
                return line.toString();
            }
        }
    }

    /** The number of the line {@link #readLine} returned last, from 1. */
    int lineNumber() {
        return lineNumber;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
