package org.cnn4j.data;

import java.util.List;

/**
 * A random-access collection of labelled images held or read on the host.
 *
 * <p>Pixel values are as read from the source: bytes 0..255 become floats 0.0..255.0 (no scaling).
 * Apply {@link ToUnit} (and usually {@link Normalize}) through the {@link DataLoader}'s transform.
 * Implementations must be safe to call from the loader's background thread.
 */
public interface Dataset {

    /** Number of examples. */
    int size();

    /**
     * The example at {@code index} (0 &lt;= index &lt; size()), as a fresh array the caller may modify.
     * Lazily-reading datasets report read failures as {@link java.io.UncheckedIOException}.
     */
    Example get(int index);

    /** The shape every image has, or {@code null} when images differ in size (e.g. an image folder). */
    ImageShape shape();

    /** Class names, indexed by label. */
    List<String> classNames();
}
