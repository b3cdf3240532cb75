package org.cnn4j.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Labelled sequences of token ids or of float samples, read from a folder with {@code train.csv} and
 * {@code test.csv}. Each file starts with a header naming the kind, {@code label,tokens} or
 * {@code label,samples}, followed by one example per line: an integer class label, a comma, and the sequence as
 * space-separated values (blank lines are skipped):
 * <pre>
 * label,tokens
 * 1,4 17 9 3
 * 0,8 2
 * </pre>
 * Token ids are integers from 1 up; id 0 is reserved for padding. Every sequence of both files is padded at the
 * end to the longest one (tokens with id 0, samples with 0.0), so batches are rectangular; models mask the
 * padding by its id (textcnn ignores windows of padding only). Examples have the shape 1x1xL, so a batch is
 * [N, 1, 1, L], the layout the sequence models accept. Classes are 0..K-1 with K one more than the largest training
 * label.
 */
public final class SequenceDataset implements Dataset {
    /** Longest sequence accepted: a batch holds batchSize times this many floats. */
    public static final int MAX_LENGTH = 1 << 20;
    /**
     * Longest line accepted, checked while reading, before the line is held whole: a label and {@link #MAX_LENGTH}
     * values of 31 characters (a float's longest usual text is 15) with their separators.
     */
    public static final int MAX_LINE_CHARS = 32 * MAX_LENGTH;
    /** Token ids live in float32, exact up to 2^24. */
    public static final int MAX_TOKEN_ID = (1 << 24) - 1;

    /** Whether the values are token ids or float samples. */
    public enum Kind { TOKENS, SAMPLES }

    /** Both splits of a folder, padded to one length. */
    public record Split(SequenceDataset train, SequenceDataset test, Kind kind, int vocabSize, int length) {
    }

    private final float[][] sequences;
    private final int[] labels;
    private final int length;
    private final int vocabSize;
    private final List<String> classNames;

    private SequenceDataset(float[][] sequences, int[] labels, int length, int vocabSize, List<String> classNames) {
        this.sequences = sequences;
        this.labels = labels;
        this.length = length;
        this.vocabSize = vocabSize;
        this.classNames = classNames;
    }

    /** Reads {@code dir/train.csv} and {@code dir/test.csv}; every problem names the file and line. */
    public static Split read(Path dir) throws IOException {
        Raw train = Raw.read(dir.resolve("train.csv"));
        Raw test = Raw.read(dir.resolve("test.csv"));
        if (train.kind != test.kind) {
            throw new DataFormatException(dir + ": train.csv holds " + train.kind.name().toLowerCase()
                    + " but test.csv holds " + test.kind.name().toLowerCase() + "; both need the same header");
        }
        int classes = train.maxLabel + 1;
        if (test.maxLabel >= classes) {
            throw new DataFormatException(dir.resolve("test.csv") + ": label " + test.maxLabel + " does not occur in"
                    + " train.csv, whose labels are 0.." + (classes - 1));
        }
        int length = Math.max(train.maxLength, test.maxLength);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        int vocab = train.kind == Kind.TOKENS ? (int) Math.max(train.maxValue, test.maxValue) + 1 : 0;
        return new Split(train.dataset(length, vocab, names), test.dataset(length, vocab, names), train.kind, vocab,
                length);
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Example get(int index) {
        Objects.checkIndex(index, labels.length);
        float[] padded = new float[length];
        System.arraycopy(sequences[index], 0, padded, 0, sequences[index].length);
        return new Example(padded, shape(), labels[index]);
    }

    /** Token ids 0..vocabSize-1 occur (padding included) in either split; 0 for float samples. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The unpadded length of example {@code index}. */
    public int length(int index) {
        return sequences[index].length;
    }

    @Override
    public ImageShape shape() {
        return new ImageShape(1, 1, length);
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    /** One file as read, before padding. */
    static final class Raw {
        Kind kind;
        final List<float[]> sequences = new ArrayList<>();
        final List<Integer> labels = new ArrayList<>();
        int maxLabel = -1;
        int maxLength;
        double maxValue;

        static Raw read(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "--dataset sequence expects train.csv and"
                        + " test.csv in the --data folder");
            }
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return read(file, in);
            }
        }

        /** Parses {@code in}, the contents of {@code file} (the name in messages). */
        static Raw read(Path file, Reader in) throws IOException {
            Raw raw = new Raw();
            try (BoundedLineReader r = new BoundedLineReader(in, file.toString(), MAX_LINE_CHARS,
                    "a label and at most " + MAX_LENGTH + " values")) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    if (raw.kind == null) {
                        raw.kind = header(file, line.trim());
                    } else {
                        raw.add(file, r.lineNumber(), line.trim());
                    }
                }
            }
            if (raw.labels.isEmpty()) {
                throw new DataFormatException(file + ": no examples (expected a header line, then lines of"
                        + " 'label,v1 v2 ...')");
            }
            return raw;
        }

        private static Kind header(Path file, String line) throws DataFormatException {
            return switch (line.toLowerCase()) {
                case "label,tokens" -> Kind.TOKENS;
                case "label,samples" -> Kind.SAMPLES;
                default -> throw new DataFormatException(file + ": line 1 must be the header 'label,tokens' or"
                        + " 'label,samples', got '" + abbreviate(line) + "'");
            };
        }

        private void add(Path file, int lineNo, String line) throws DataFormatException {
            String where = file + " line " + lineNo + ": ";
            int comma = line.indexOf(',');
            if (comma < 0) {
                throw new DataFormatException(where + "expected 'label,v1 v2 ...', got '" + abbreviate(line) + "'");
            }
            int label;
            try {
                label = Integer.parseInt(line.substring(0, comma).trim());
            } catch (NumberFormatException e) {
                throw new DataFormatException(where + "the label must be an integer class index, got '"
                        + abbreviate(line.substring(0, comma)) + "'");
            }
            if (label < 0) {
                throw new DataFormatException(where + "the label must be >= 0, got " + label);
            }
            String[] parts = line.substring(comma + 1).trim().split("\\s+");
            if (parts.length == 1 && parts[0].isEmpty()) {
                throw new DataFormatException(where + "empty sequence");
            }
            if (parts.length > MAX_LENGTH) {
                throw new DataFormatException(where + "sequence of " + parts.length + " values; at most "
                        + MAX_LENGTH + " are supported");
            }
            float[] values = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = value(where, parts[i], i);
                maxValue = Math.max(maxValue, values[i]);
            }
            sequences.add(values);
            labels.add(label);
            maxLabel = Math.max(maxLabel, label);
            maxLength = Math.max(maxLength, values.length);
        }

        private float value(String where, String text, int position) throws DataFormatException {
            try {
                if (kind == Kind.TOKENS) {
                    int id = Integer.parseInt(text);
                    if (id < 1 || id > MAX_TOKEN_ID) {
                        throw new DataFormatException(where + "token " + (position + 1) + " is " + id
                                + "; ids must be in 1.." + MAX_TOKEN_ID + " (0 is padding)");
                    }
                    return id;
                }
                float v = Float.parseFloat(text);
                if (!Float.isFinite(v)) {
                    throw new DataFormatException(where + "sample " + (position + 1) + " is " + v
                            + "; samples must be finite");
                }
                return v;
            } catch (NumberFormatException e) {
                throw new DataFormatException(where + "value " + (position + 1) + " '" + abbreviate(text)
                        + "' is not " + (kind == Kind.TOKENS ? "an integer token id" : "a number"));
            }
        }

        SequenceDataset dataset(int length, int vocab, List<String> names) {
            int[] ls = labels.stream().mapToInt(Integer::intValue).toArray();
            return new SequenceDataset(sequences.toArray(new float[0][]), ls, length, vocab, List.copyOf(names));
        }

        private static String abbreviate(String s) {
            String clean = s.replaceAll("\\p{Cntrl}", "?");
            return clean.length() <= 40 ? clean : clean.substring(0, 40) + "...";
        }
    }
}
