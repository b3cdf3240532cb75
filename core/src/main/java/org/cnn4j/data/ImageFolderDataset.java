package org.cnn4j.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Images in class sub-folders ({@code root/cat/001.png}, {@code root/dog/xyz.jpg}), like torchvision's
 * ImageFolder: classes are the sub-folder names sorted, labels their index. PNG and JPEG files are decoded
 * with ImageIO when {@link #get} asks for them (so large folders need not fit in memory), converted to
 * RGB (3 channels) or grayscale (1 channel, ITU-R 601 luma as PIL's "L"), pixel values 0..255.
 * Images keep their own size: resize them with a transform ({@link Resize}, {@link CenterCrop}).
 */
public final class ImageFolderDataset implements Dataset {

    /** The channel layout images are converted to. */
    public enum ColorMode { RGB, GRAYSCALE }

    private final List<Path> files;
    private final int[] labels;
    private final List<String> classNames;
    private final ColorMode mode;

    private ImageFolderDataset(List<Path> files, int[] labels, List<String> classNames, ColorMode mode) {
        this.files = files;
        this.labels = labels;
        this.classNames = classNames;
        this.mode = mode;
    }

    /**
     * Lists {@code root}: fails if it has no class sub-folder or a class sub-folder has no PNG/JPEG file.
     */
    public static ImageFolderDataset open(Path root, ColorMode mode) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "image folder not found");
        }
        List<Path> classDirs;
        try (Stream<Path> entries = Files.list(root)) {
            classDirs = entries.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.isEmpty()) {
            throw new DataFormatException(root + ": no class sub-folders (expected root/<class>/<image>.png)");
        }
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images;
            try (Stream<Path> entries = Files.list(dir)) {
                images = entries.filter(p -> Files.isRegularFile(p) && isImageName(p)).sorted().toList();
            }
            if (images.isEmpty()) {
                throw new DataFormatException(dir + ": class folder has no .png, .jpg or .jpeg images");
            }
            for (Path image : images) {
                files.add(image);
                labels.add(classNames.size());
            }
            classNames.add(dir.getFileName().toString());
        }
        return new ImageFolderDataset(List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(classNames), mode);
    }

    private static boolean isImageName(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    @Override
    public int size() {
        return files.size();
    }

    /** The image file behind example {@code index}. */
    public Path file(int index) {
        return files.get(index);
    }

    @Override
    public Example get(int index) {
        Path file = files.get(index);
        try {
            BufferedImage image;
            try {
                image = ImageIO.read(file.toFile());
            } catch (IOException | RuntimeException e) {
                throw new DataFormatException(file + ": unreadable or corrupt image: " + e.getMessage(), e);
            }
            if (image == null) {
                throw new DataFormatException(file + ": not a decodable PNG/JPEG image");
            }
            return new Example(toChw(image, mode), shapeOf(image), labels[index]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ImageShape shapeOf(BufferedImage image) {
        return new ImageShape(mode == ColorMode.RGB ? 3 : 1, image.getHeight(), image.getWidth());
    }

    /** Converts to CHW floats 0..255. Gray images are read from the raster (getRGB would re-gamma them). */
    static float[] toChw(BufferedImage image, ColorMode mode) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        float[] out = new float[(mode == ColorMode.RGB ? 3 : 1) * plane];
        int type = image.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY) {
            Raster raster = image.getRaster();
            int shift = type == BufferedImage.TYPE_USHORT_GRAY ? 8 : 0;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = row[x] >> shift;
                    for (int c = 0; c < out.length / plane; c++) {
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

    @Override
    public ImageShape shape() {
        return null;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }
}
