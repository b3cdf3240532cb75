package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequence folder format: headers, padding, vocabulary and class counts, and every kind of bad line. */
class SequenceDatasetTest {
    @TempDir
    Path dir;

    private SequenceDataset.Split write(String train, String test) throws IOException {
        Files.writeString(dir.resolve("train.csv"), train);
        Files.writeString(dir.resolve("test.csv"), test);
        return SequenceDataset.read(dir);
    }

    @Test
    void tokensArePaddedWithZeroToTheLongestSequenceOfEitherFile() throws IOException {
        SequenceDataset.Split s = write("label,tokens\n1,4 17 9\n\n0,8\n", "label,tokens\n1,3 3 3 3 5\n");
        assertEquals(SequenceDataset.Kind.TOKENS, s.kind());
        assertEquals(5, s.length());
        assertEquals(18, s.vocabSize());
        assertEquals(List.of("0", "1"), s.train().classNames());
        assertEquals(new ImageShape(1, 1, 5), s.train().shape());
        Example e = s.train().get(0);
        assertArrayEquals(new float[] {4, 17, 9, 0, 0}, e.image());
        assertEquals(1, e.label());
        assertEquals(1, s.train().length(1));
        assertEquals(18, s.test().vocabSize());
        assertArrayEquals(new float[] {3, 3, 3, 3, 5}, s.test().get(0).image());
    }

    @Test
    void samplesAreFloatsPaddedWithZero() throws IOException {
        SequenceDataset.Split s = write("LABEL,SAMPLES\n0,0.5 -1e-3 2\n2,1\n", "label,samples\n1,0.25\n");
        assertEquals(SequenceDataset.Kind.SAMPLES, s.kind());
        assertEquals(0, s.vocabSize());
        assertEquals(3, s.train().classNames().size());
        assertArrayEquals(new float[] {1, 0, 0}, s.train().get(1).image());
        assertArrayEquals(new float[] {0.5f, -1e-3f, 2}, s.train().get(0).image());
    }

    @Test
    void aSequenceOverTheLengthCapIsRefusedWithItsLine() {
        String tooLong = "label,tokens\n0," + "1 ".repeat(SequenceDataset.MAX_LENGTH + 1) + "\n";
        var e = assertThrows(DataFormatException.class, () -> write(tooLong, "label,tokens\n0,1\n"));
        assertTrue(e.getMessage().contains("train.csv") && e.getMessage().contains("line 2")
                && e.getMessage().contains("at most " + SequenceDataset.MAX_LENGTH), e.getMessage());
    }

    @Test
    void aMultiGigabyteLineFailsAtTheLineCapWithoutBeingHeld() {
        // 4 GiB of token text on line 2 with no line end, generated as it is read
        var in = new BoundedLineReaderTest.Generated("label,tokens\n0,", "7 ", 1L << 32);
        var e = assertThrows(DataFormatException.class, () -> SequenceDataset.Raw.read(Path.of("train.csv"), in));
        assertEquals("train.csv line 2 is longer than " + SequenceDataset.MAX_LINE_CHARS + " characters, the most a"
                + " line may hold (a label and at most " + SequenceDataset.MAX_LENGTH + " values)", e.getMessage());
        assertTrue(in.served < 2L * SequenceDataset.MAX_LINE_CHARS, "read " + in.served + " characters");
    }

    @Test
    void badFilesFailWithFileLineAndWhatWasExpected() throws IOException {
        String[][] cases = {
            {"tokens\n1,2\n", "line 1 must be the header"},
            {"label,tokens\n1 2 3\n", "line 2: expected 'label,v1 v2 ...'"},
            {"label,tokens\nx,2\n", "line 2: the label must be an integer"},
            {"label,tokens\n-1,2\n", "line 2: the label must be >= 0"},
            {"label,tokens\n1,\n", "line 2: empty sequence"},
            {"label,tokens\n1,2 0\n", "line 2: token 2 is 0; ids must be in 1..16777215 (0 is padding)"},
            {"label,tokens\n1,2 2.5\n", "line 2: value 2 '2.5' is not an integer token id"},
            {"label,samples\n1,2 NaN\n", "line 2: sample 2 is NaN"},
            {"label,samples\n1,2 abc\n", "line 2: value 2 'abc' is not a number"},
            {"label,tokens\n", "no examples"},
        };
        for (String[] c : cases) {
            var e = assertThrows(DataFormatException.class, () -> write(c[0], "label,tokens\n0,1\n"), c[0]);
            assertTrue(e.getMessage().contains("train.csv") && e.getMessage().contains(c[1]), e.getMessage());
        }
        var mixed = assertThrows(DataFormatException.class, () -> write("label,tokens\n0,1\n", "label,samples\n0,1\n"));
        assertTrue(mixed.getMessage().contains("same header"), mixed.getMessage());
        var unseen = assertThrows(DataFormatException.class, () -> write("label,tokens\n0,1\n", "label,tokens\n3,1\n"));
        assertTrue(unseen.getMessage().contains("label 3 does not occur in train.csv"), unseen.getMessage());
        Files.delete(dir.resolve("test.csv"));
        var missing = assertThrows(NoSuchFileException.class, () -> SequenceDataset.read(dir));
        assertTrue(missing.getMessage().contains("test.csv"), missing.getMessage());
    }
}
