package org.cnn4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format): a big-endian magic number 0x000008NN
 * (0x08 = unsigned byte, NN = number of dimensions), NN big-endian int dimensions, then the bytes.
 * Files may be gzip-compressed (detected by the magic bytes 1f 8b) or raw.
 *
 * <p>Every size is checked before allocation: a raw file must be exactly header + data long; a gzip file
 * cannot declare more data than deflate could expand its compressed length into.
 */
public final class IdxReader {

    /** Magic number of an unsigned-byte, 3-dimensional IDX file (images N x rows x cols). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Deflate's largest possible expansion ratio (RFC 1951: 258 bytes from 2 bits is about 1032:1). */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private IdxReader() {
    }

    /** Images of an IDX3 file: {@code count} images of {@code rows x cols} bytes, one after another. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    public static Images readImages(Path file) throws IOException {
        return readImages(file.toString(), open(file), Files.size(file));
    }

    public static byte[] readLabels(Path file) throws IOException {
        return readLabels(file.toString(), open(file), Files.size(file));
    }

    /**
     * Reads images from a stream of known length; {@code name} is used in error messages.
     * The stream is closed.
     */
    public static Images readImages(String name, InputStream in, long fileLength) throws IOException {
        try (Payload payload = payload(name, in, fileLength)) {
            DataInputStream data = payload.data();
            int[] dims = header(name, data, IMAGES_MAGIC, 3, "images");
            long bytes = (long) dims[0] * dims[1] * dims[2];
            checkLength(name, payload.gzip(), fileLength, 16, bytes, dims[0] + " images of " + dims[1] + "x" + dims[2]);
            byte[] pixels = readBody(name, data, (int) bytes);
            return new Images(dims[0], dims[1], dims[2], pixels);
        }
    }

    /** Reads labels from a stream of known length; {@code name} is used in error messages. */
    public static byte[] readLabels(String name, InputStream in, long fileLength) throws IOException {
        try (Payload payload = payload(name, in, fileLength)) {
            DataInputStream data = payload.data();
            int[] dims = header(name, data, LABELS_MAGIC, 1, "labels");
            checkLength(name, payload.gzip(), fileLength, 8, dims[0], dims[0] + " labels");
            return readBody(name, data, dims[0]);
        }
    }

    /**
     * Reads an images file and a labels file into a 1-channel dataset, checking the counts agree and every
     * label names a class.
     */
    public static ArrayDataset readDataset(Path images, Path labels, List<String> classNames) throws IOException {
        return toDataset(images.toString(), readImages(images), labels.toString(), readLabels(labels), classNames);
    }

    static ArrayDataset toDataset(String imagesName, Images images, String labelsName, byte[] labelBytes,
                                  List<String> classNames) throws DataFormatException {
        if (images.count() != labelBytes.length) {
            throw new DataFormatException(imagesName + " has " + images.count() + " images but " + labelsName
                    + " has " + labelBytes.length + " labels");
        }
        int[] labels = new int[labelBytes.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labelBytes[i] & 0xFF;
            if (labels[i] >= classNames.size()) {
                throw new DataFormatException(labelsName + ": label " + labels[i] + " at index " + i
                        + " is outside 0.." + (classNames.size() - 1));
            }
        }
        return new ArrayDataset(images.pixels(), labels, new ImageShape(1, images.rows(), images.cols()),
                classNames);
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "IDX file not found");
        }
        return Files.newInputStream(file);
    }

    /** The IDX bytes of a file, decompressed when the file starts with the gzip magic 1f 8b. */
    private record Payload(DataInputStream data, boolean gzip) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            data.close();
        }
    }

    private static Payload payload(String name, InputStream in, long fileLength) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new Payload(new DataInputStream(new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16)), true);
            } catch (EOFException e) {
                buffered.close();
                throw new DataFormatException(name + ": truncated gzip header (" + fileLength + " bytes)", e);
            } catch (ZipException e) {
                buffered.close();
                throw new DataFormatException(name + ": corrupt gzip header: " + e.getMessage(), e);
            }
        }
        return new Payload(new DataInputStream(buffered), false);
    }

    private static int[] header(String name, DataInputStream data, int expectedMagic, int rank, String what)
            throws IOException {
        int magic;
        try {
            magic = data.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(name + ": file too short for an IDX header", e);
        } catch (ZipException e) {
            throw new DataFormatException(name + ": corrupt gzip data: " + e.getMessage(), e);
        }
        if (magic != expectedMagic) {
            throw new DataFormatException(String.format(
                    "%s: bad IDX magic number for %s: expected 0x%08X (unsigned byte, %d dimension%s), found 0x%08X",
                    name, what, expectedMagic, rank, rank == 1 ? "" : "s", magic));
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = data.readInt();
            } catch (EOFException e) {
                throw new DataFormatException(name + ": truncated IDX header (dimension " + i + " missing)", e);
            }
            if (dims[i] < 0) {
                throw new DataFormatException(name + ": IDX dimension " + i + " is negative: " + dims[i]);
            }
        }
        return dims;
    }

    /** Refuses a header whose data size the file cannot hold, before anything is allocated. */
    private static void checkLength(String name, boolean gzip, long fileLength, int headerBytes,
                                    long dataBytes, String declared) throws DataFormatException {
        if (dataBytes > Integer.MAX_VALUE - 64) {
            throw new DataFormatException(name + ": header declares " + declared + " = " + dataBytes
                    + " bytes, more than one array can hold");
        }
        if (!gzip && headerBytes + dataBytes != fileLength) {
            throw new DataFormatException(name + ": header declares " + declared + " (" + (headerBytes + dataBytes)
                    + " bytes with the header) but the file is " + fileLength + " bytes long");
        }
        if (gzip && headerBytes + dataBytes > fileLength * MAX_DEFLATE_RATIO) {
            throw new DataFormatException(name + ": header declares " + declared + " (" + (headerBytes + dataBytes)
                    + " bytes) but a " + fileLength + "-byte gzip file cannot expand to that much");
        }
    }

    private static byte[] readBody(String name, DataInputStream data, int length) throws IOException {
        byte[] body = new byte[length];
        int done = 0;
        try {
            while (done < length) {
                int n = data.read(body, done, length - done);
                if (n < 0) {
                    throw new DataFormatException(name + ": truncated: header declares " + length
                            + " data bytes but the file ends after " + done);
                }
                done += n;
            }
            byte[] probe = new byte[4096];
            long extra = 0;
            for (int n; (n = data.read(probe)) > 0; ) {
                extra += n;
            }
            if (extra > 0) {
                throw new DataFormatException(name + ": " + extra + " bytes after the " + length
                        + " data bytes the header declares");
            }
        } catch (EOFException e) {
            throw new DataFormatException(name + ": truncated gzip stream: it ends after " + done + " of "
                    + length + " data bytes", e);
        } catch (ZipException e) {
            throw new DataFormatException(name + ": corrupt gzip data after " + done + " of " + length
                    + " data bytes: " + e.getMessage(), e);
        }
        return body;
    }
}
