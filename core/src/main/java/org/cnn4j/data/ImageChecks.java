package org.cnn4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** Decodes a list of image files on worker threads to find the bad ones before training starts. */
final class ImageChecks {
    private ImageChecks() {
    }

    /**
     * For each file, null if it decodes within {@code maxPixels}, else "file: reason"; {@code workers} threads
     * take the next unchecked file in turn, and the result does not depend on their number.
     */
    static String[] run(List<Path> files, long maxPixels, int workers) throws IOException {
        String[] problems = new String[files.size()];
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                problems[i] = problem(files.get(i), maxPixels);
            }
        };
        if (workers <= 1 || files.size() < 2) {
            work.run();
            return problems;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, files.size()), r -> {
            Thread t = new Thread(r, "cnn4j-image-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> done = IntStream.range(0, Math.min(workers, files.size()))
                    .<Future<?>>mapToObj(i -> pool.submit(work)).toList();
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking images", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("image check failed: " + ImageFiles.describe(e.getCause()), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return problems;
    }

    private static String problem(Path file, long maxPixels) {
        try {
            ImageFiles.read(file, maxPixels);
            return null;
        } catch (DataFormatException e) {
            return e.getMessage();
        } catch (IOException | RuntimeException e) {
            return file + ": " + ImageFiles.describe(e);
        } catch (OutOfMemoryError e) {
            return file + ": too large to decode in the memory this Java runtime has (" + ImageFiles.describe(e)
                    + ")";
        }
    }
}
