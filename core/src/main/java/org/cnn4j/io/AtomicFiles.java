package org.cnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a file so that readers see either the old content or the complete new one, never a partial file: a
 * temp file in the same folder is written, forced to disk and renamed over the target (and the rename synced
 * where the platform allows). If writing fails, the target is untouched and the temp file removed.
 */
public final class AtomicFiles {
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Writes the new content to a channel. */
    @FunctionalInterface
    public interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    /** Writes the new content to a stream (which the caller must not close). */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} atomically. An I/O error that does not say which file it is about (a full disk reads
     * just "No space left on device") is rethrown as a {@link FileSystemException} naming {@code target}.
     */
    public static void write(Path target, ChannelWriter body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path tmp;
        try {
            tmp = Files.createTempFile(absolute.getParent(), tempPrefix(absolute), TEMP_SUFFIX);
        } catch (IOException e) {
            throw naming(target, e);
        }
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                body.write(channel);
                channel.force(true);
            }
            makeReadable(tmp);
            moveIntoPlace(tmp, absolute);
            moved = true;
        } catch (IOException e) {
            throw naming(target, e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Deletes the temp files that writes of {@code target} left behind when their process was killed (a normal
     * failure removes its own). Only call this while no other process may be writing {@code target}; returns
     * the files removed.
     */
    public static List<Path> removeLeftovers(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        String prefix = tempPrefix(absolute);
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(absolute.getParent(),
                f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(TEMP_SUFFIX)
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                removed.add(f);
            }
        }
        return removed;
    }

    private static String tempPrefix(Path absoluteTarget) {
        return "." + absoluteTarget.getFileName();
    }

    private static IOException naming(Path target, IOException e) {
        boolean named = e.getMessage() != null && e.getMessage().contains(target.toString());
        if (e instanceof FileSystemException || named) {
            return e;
        }
        FileSystemException withFile = new FileSystemException(target.toString(), null,
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        withFile.initCause(e);
        return withFile;
    }

    public static void writeStream(Path target, StreamWriter body) throws IOException {
        write(target, channel -> {
            OutputStream out = Channels.newOutputStream(channel);
            body.write(out);
            out.flush();
        });
    }

    public static void writeBytes(Path target, byte[] content) throws IOException {
        write(target, channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    public static void writeString(Path target, String content) throws IOException {
        writeBytes(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Temp files are created owner-only (0600); the result should read like any other new file (0644). */
    private static void makeReadable(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        // Make the rename itself durable where directories can be synced (POSIX); elsewhere this is best effort.
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform (e.g. Windows); the data itself was already forced
        }
    }
}
