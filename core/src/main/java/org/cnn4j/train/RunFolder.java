package org.cnn4j.train;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.cnn4j.io.AtomicFiles;
import org.cnn4j.tensor.Names;

/**
 * The output folder of a run, held for the run's whole length: a lock on {@value #LOCK} keeps a second run out
 * (the operating system drops it when the process ends, however it ends), a folder that already holds files is
 * refused unless the run resumes there or may overwrite it, and temp files that killed checkpoint writes left
 * behind are removed.
 */
public final class RunFolder implements AutoCloseable {
    public static final String LOCK = ".lock";
    public static final String LAST = "last.safetensors";
    public static final String BEST = "best.safetensors";
    public static final String STEPS = "steps.csv";
    /** The files a run writes; {@code --overwrite} removes these (and TensorBoard event files) first. */
    static final List<String> OUTPUTS = List.of(LAST, BEST, "metrics.json", "metrics.csv", STEPS, "curves.png");
    private static final String EVENTS_PREFIX = "events.out.tfevents.";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<Path> removedLeftovers;

    private RunFolder(Path dir, FileChannel lockChannel, FileLock lock, List<Path> removedLeftovers) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.removedLeftovers = removedLeftovers;
    }

    /**
     * Creates (if needed) and locks {@code dir}. A folder holding anything but the lock file is refused unless
     * {@code resumingHere} (the checkpoint being resumed lies in it) or {@code overwrite} (which first deletes the
     * outputs of the earlier run).
     */
    public static RunFolder open(Path dir, boolean resumingHere, boolean overwrite) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create output folder " + dir + ": " + reason(e), e);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("output folder " + dir + " is not writable: " + reason(e), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot lock output folder " + dir + ": " + reason(e), e);
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another training run is writing to " + dir + " (it holds " + dir.resolve(LOCK)
                    + "); wait for it to finish or choose another output folder");
        }
        try {
            List<String> existing = contents(dir);
            if (!existing.isEmpty() && !resumingHere && !overwrite) {
                throw new IOException("output folder " + dir + " already holds " + Names.list(existing) + "; resume"
                        + " that run (cnn train --resume " + dir.resolve(LAST) + "), replace it (--overwrite) or"
                        + " choose another output folder");
            }
            if (overwrite && !resumingHere) {
                deleteOutputs(dir);
            }
            List<Path> removed = new ArrayList<>();
            for (String name : OUTPUTS) {
                removed.addAll(AtomicFiles.removeLeftovers(dir.resolve(name)));
            }
            return new RunFolder(dir, channel, lock, removed);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    private static List<String> contents(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!f.getFileName().toString().equals(LOCK)) {
                    names.add(f.getFileName().toString());
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static void deleteOutputs(Path dir) throws IOException {
        for (String name : OUTPUTS) {
            Files.deleteIfExists(dir.resolve(name));
        }
        try (DirectoryStream<Path> events = Files.newDirectoryStream(dir, EVENTS_PREFIX + "*")) {
            for (Path f : events) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** The JDK's file-system exceptions often carry only a path as their message: say what went wrong. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fse) {
            if (fse.getReason() != null) {
                return fse.getReason();
            }
            String what = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof FileAlreadyExistsException ? "a file of that name is in the way"
                    : e instanceof NotDirectoryException ? "not a folder" : e.getClass().getSimpleName();
            return fse.getFile() == null ? what : fse.getFile() + ": " + what;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Temp files of killed writes that {@link #open} deleted. */
    public List<Path> removedLeftovers() {
        return List.copyOf(removedLeftovers);
    }

    /** Releases the lock; the lock file stays (deleting it would let a waiting run lock a file nobody sees). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
