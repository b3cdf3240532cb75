package org.cnn4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.cnn4j.data.ImageFolderDataset.ColorMode;

/**
 * Reads PNG and JPEG files safely: the size is read from the header first and an image of more than a limit of
 * pixels is refused before any pixel memory is allocated; every failure is a {@link DataFormatException} whose
 * message starts with the file and says what was wrong, without Java class names.
 */
public final class ImageFiles {
    /** Default limit: 50 megapixels (an 8-bit RGB image that size takes 600 MB as floats). */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private ImageFiles() {
    }

    /** Width and height as a file's header declares them. */
    public record Size(int width, int height) {
        long pixels() {
            return (long) width * height;
        }
    }

    /** Reads the size from the header only (no pixel is decoded) and checks it against {@code maxPixels}. */
    public static Size probe(Path file, long maxPixels) throws IOException {
        try (ImageInputStream in = open(file)) {
            ImageReader reader = readerFor(file, in);
            try {
                return checkedSize(file, reader, maxPixels);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Decodes {@code file} after checking its declared size against {@code maxPixels}. */
    public static BufferedImage read(Path file, long maxPixels) throws IOException {
        try (ImageInputStream in = open(file)) {
            ImageReader reader = readerFor(file, in);
            try {
                checkedSize(file, reader, maxPixels);
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new DataFormatException(file + ": not a decodable PNG/JPEG image");
                }
                return image;
            } catch (IOException | RuntimeException e) {
                if (e instanceof DataFormatException d) {
                    throw d;
                }
                throw new DataFormatException(file + ": unreadable or corrupt image: " + describe(e), e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** {@link #read} then {@link #toChw}: CHW floats 0..255. */
    public static Example readExample(Path file, ColorMode mode, int label, long maxPixels) throws IOException {
        BufferedImage image = read(file, maxPixels);
        return new Example(toChw(image, mode), new ImageShape(mode == ColorMode.RGB ? 3 : 1, image.getHeight(),
                image.getWidth()), label);
    }

    private static ImageInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "image file not found");
        }
        ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
        if (in == null) {
            throw new DataFormatException(file + ": cannot open for reading");
        }
        return in;
    }

    private static ImageReader readerFor(Path file, ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            in.close();
            throw new DataFormatException(file + ": not a decodable PNG/JPEG image (unrecognised contents)");
        }
        ImageReader reader = readers.next();
        reader.setInput(in, true, true);
        return reader;
    }

    private static Size checkedSize(Path file, ImageReader reader, long maxPixels) throws DataFormatException {
        Size size;
        try {
            size = new Size(reader.getWidth(0), reader.getHeight(0));
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(file + ": unreadable image header: " + describe(e), e);
        }
        if (size.width() <= 0 || size.height() <= 0) {
            throw new DataFormatException(file + ": image header declares " + size.width() + "x" + size.height()
                    + " pixels");
        }
        if (size.pixels() > maxPixels) {
            throw new DataFormatException(String.format(Locale.ROOT, "%s: image header declares %dx%d pixels "
                    + "(%.1f megapixels); images of at most %.1f megapixels are accepted", file, size.width(),
                    size.height(), size.pixels() / 1e6, maxPixels / 1e6));
        }
        return size;
    }

    /** A failure's message, or its simple class name when it has none. */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * CHW floats 0..255. Gray images (with or without alpha, any bit depth) are read from the raster's samples:
     * {@code getRGB} would convert their linear gray to sRGB (gray 100 becoming 168). Alpha is dropped, as PIL's
     * {@code convert("RGB")} does; grayscale from colour uses PIL's "L" weights.
     */
    public static float[] toChw(BufferedImage image, ColorMode mode) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        int channels = mode == ColorMode.RGB ? 3 : 1;
        float[] out = new float[channels * plane];
        ColorModel model = image.getColorModel();
        if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
            Raster raster = image.getRaster();
            int bits = model.getComponentSize(0);
            int max = (1 << bits) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = bits == 8 ? row[x] : bits > 8 ? row[x] >> (bits - 8) : Math.round(row[x] * 255f / max);
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + y * w + x] = v;
                    }
                }
            }
            return out;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int r = (argb[i] >> 16) & 0xFF;
            int g = (argb[i] >> 8) & 0xFF;
            int b = argb[i] & 0xFF;
            if (mode == ColorMode.RGB) {
                out[i] = r;
                out[plane + i] = g;
                out[2 * plane + i] = b;
            } else {
                out[i] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
            }
        }
        return out;
    }
}
