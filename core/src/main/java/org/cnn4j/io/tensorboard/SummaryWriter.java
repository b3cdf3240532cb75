package org.cnn4j.io.tensorboard;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Writes one TensorBoard event file ({@code events.out.tfevents.<seconds>.<host>.<pid>.<n>}) in a log folder,
 * like PyTorch's {@code SummaryWriter}: scalars, PNG images and histograms, each at a step. Every method is
 * thread-safe. Events are buffered and reach the file at least every {@value #FLUSH_MILLIS} ms of writing, on
 * {@link #flush()} and on {@link #close()}; a failed write throws {@link UncheckedIOException} naming the file.
 * <pre>{@code
 * try (SummaryWriter tb = new SummaryWriter(Path.of("runs/a"))) {
 *     tb.addScalar("train/loss", 0.7, 1);
 * }
 * }</pre>
 */
public final class SummaryWriter implements AutoCloseable {
    static final long FLUSH_MILLIS = 2000;
    private static final AtomicInteger FILES = new AtomicInteger();

    private final Path file;
    private final OutputStream out;
    private long lastFlush = System.currentTimeMillis();
    private boolean closed;

    /** Creates {@code logDir} if needed and a new event file in it (never overwriting one). */
    public SummaryWriter(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        String name = String.format(Locale.ROOT, "events.out.tfevents.%d.%s.%d.%d",
                System.currentTimeMillis() / 1000, hostName(), ProcessHandle.current().pid(), FILES.getAndIncrement());
        this.file = logDir.resolve(name);
        this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
        write(EventProtos.fileVersionEvent(now()));
        flush();
    }

    /** The event file being written. */
    public Path file() {
        return file;
    }

    public void addScalar(String tag, double value, long step) {
        write(EventProtos.summaryEvent(now(), step, EventProtos.scalarValue(tag, (float) value)));
    }

    /** Several scalars in one event, all at {@code step}. */
    public void addScalars(long step, String[] tags, double[] values) {
        byte[][] encoded = new byte[tags.length][];
        for (int i = 0; i < tags.length; i++) {
            encoded[i] = EventProtos.scalarValue(tags[i], (float) values[i]);
        }
        write(EventProtos.summaryEvent(now(), step, encoded));
    }

    /** The image PNG-encoded: gray when it is {@code TYPE_BYTE_GRAY}, RGB otherwise. */
    public void addImage(String tag, BufferedImage image, long step) {
        boolean gray = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot PNG-encode image '" + tag + "': " + e.getMessage(), e);
        }
        write(EventProtos.summaryEvent(now(), step, EventProtos.imageValue(tag, image.getHeight(), image.getWidth(),
                gray ? EventProtos.COLORSPACE_GRAY : EventProtos.COLORSPACE_RGB, png.toByteArray())));
    }

    /** A histogram of {@code values} in {@code buckets} equal-width buckets (non-finite values left out). */
    public void addHistogram(String tag, float[] values, int buckets, long step) {
        write(EventProtos.summaryEvent(now(), step, EventProtos.histogramValue(tag, Histogram.of(values, buckets))));
    }

    public synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw failure(e);
        }
        lastFlush = System.currentTimeMillis();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private synchronized void write(byte[] event) {
        if (closed) {
            throw new IllegalStateException("TensorBoard writer for " + file + " is closed");
        }
        try {
            TfRecords.write(out, event);
        } catch (IOException e) {
            throw failure(e);
        }
        if (System.currentTimeMillis() - lastFlush >= FLUSH_MILLIS) {
            flush();
        }
    }

    private UncheckedIOException failure(IOException e) {
        return new UncheckedIOException("cannot write TensorBoard events to " + file + ": " + e.getMessage(), e);
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** The host name as event file names carry it, reduced to characters safe in a file name. */
    private static String hostName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            host = "localhost";
        }
        String safe = host.replaceAll("[^A-Za-z0-9.-]", "_");
        return safe.isEmpty() ? "localhost" : safe;
    }
}
