package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Lines as BufferedReader splits them, and a cap that holds before an over-long line is read whole. */
class BoundedLineReaderTest {

    /** {@code prefix}, then {@code length} characters repeating {@code filler}, served without being held whole. */
    static final class Generated extends Reader {
        private final String prefix;
        private final String filler;
        private final long length;
        long served;

        Generated(String prefix, String filler, long length) {
            this.prefix = prefix;
            this.filler = filler;
            this.length = length;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            long total = prefix.length() + length;
            if (served >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - served);
            for (int i = 0; i < n; i++) {
                long at = served + i;
                buf[off + i] = at < prefix.length() ? prefix.charAt((int) at)
                        : filler.charAt((int) ((at - prefix.length()) % filler.length()));
            }
            served += n;
            return n;
        }

        @Override
        public void close() {
        }
    }

    private static List<String> lines(String text, int cap) throws IOException {
        List<String> out = new ArrayList<>();
        try (BoundedLineReader r = new BoundedLineReader(new StringReader(text), "f.csv", cap, "test")) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.add(r.lineNumber() + ":" + line);
            }
        }
        return out;
    }

    @Test
    void splitsOnLineFeedCarriageReturnAndBoth() throws IOException {
        assertEquals(List.of("1:a", "2:", "3:b", "4:c", "5:d"), lines("a\n\nb\r\nc\rd", 10));
        assertEquals(List.of("1:a", "2:"), lines("a\r\r\n", 10));
        assertEquals(List.of(), lines("", 10));
        assertEquals(List.of("1:"), lines("\n", 10));
    }

    @Test
    void aLineOfExactlyTheCapIsRead() throws IOException {
        assertEquals(List.of("1:12345", "2:x"), lines("12345\nx", 5));
    }

    @Test
    void aLongerLineFailsNamingFileLineAndCap() {
        var e = assertThrows(DataFormatException.class, () -> lines("ok\n123456\n", 5));
        assertEquals("f.csv line 2 is longer than 5 characters, the most a line may hold (test)", e.getMessage());
    }

    @Test
    void anEndlessLineStopsAtTheCapWithoutBeingReadWhole() {
        Generated in = new Generated("head\n", "x", 1L << 40); // a terabyte with no line end
        var e = assertThrows(DataFormatException.class, () -> {
            try (BoundedLineReader r = new BoundedLineReader(in, "big.csv", 1 << 20, "test")) {
                assertEquals("head", r.readLine());
                r.readLine();
            }
        });
        assertTrue(e.getMessage().startsWith("big.csv line 2 is longer than 1048576 characters"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(in.served <= (1 << 20) + 2 * 8192, "read " + in.served + " characters");
    }

    @Test
    void endOfInputAfterTheLastLineIsNull() throws IOException {
        try (BoundedLineReader r = new BoundedLineReader(new StringReader("a"), "f", 3, "t")) {
            assertEquals("a", r.readLine());
            assertNull(r.readLine());
            assertNull(r.readLine());
        }
    }
}
