package org.cnn4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Images in class sub-folders ({@code root/cat/001.png}, {@code root/dog/xyz.jpg}), like torchvision's
 * ImageFolder: classes are the sub-folder names sorted, labels their index. PNG and JPEG files are decoded
 * with ImageIO when {@link #get} asks for them (so large folders need not fit in memory), converted to
 * RGB (3 channels) or grayscale (1 channel, ITU-R 601 luma as PIL's "L"), pixel values 0..255.
 * Images keep their own size: resize them with a transform ({@link Resize}, {@link CenterCrop}).
 *
 * <p>{@link #open} checks every image before training starts: its header must declare at most
 * {@link Checks#maxPixels} pixels (read without decoding) and the image must decode. A bad image either fails the
 * open, naming the file, or is left out and reported ({@link Checks#skipBad}).
 */
public final class ImageFolderDataset implements Dataset {

    /** The channel layout images are converted to. */
    public enum ColorMode { RGB, GRAYSCALE }

    /**
     * What {@link #open} checks and what it does with a bad image.
     *
     * @param maxPixels the most pixels an image may declare
     * @param skipBad   leave bad images out (each reported to {@code onSkip}) instead of failing
     * @param workers   threads decoding images during the check
     * @param onSkip    receives "file: reason" for each image left out
     */
    public record Checks(long maxPixels, boolean skipBad, int workers, Consumer<String> onSkip) {
        public Checks {
            if (maxPixels < 1 || workers < 1) {
                throw new IllegalArgumentException("image checks: expected maxPixels >= 1 and workers >= 1, got "
                        + maxPixels + " and " + workers);
            }
        }

        /** Fail on the first bad image; {@link ImageFiles#DEFAULT_MAX_PIXELS}; the default worker count. */
        public static Checks strict() {
            return new Checks(ImageFiles.DEFAULT_MAX_PIXELS, false, DataLoader.defaultWorkers(), s -> { });
        }
    }

    private final List<Path> files;
    private final int[] labels;
    private final List<String> classNames;
    private final ColorMode mode;
    private final long maxPixels;

    private ImageFolderDataset(List<Path> files, int[] labels, List<String> classNames, ColorMode mode,
                               long maxPixels) {
        this.files = files;
        this.labels = labels;
        this.classNames = classNames;
        this.mode = mode;
        this.maxPixels = maxPixels;
    }

    /** {@link #open(Path, ColorMode, Checks)} with {@link Checks#strict()}. */
    public static ImageFolderDataset open(Path root, ColorMode mode) throws IOException {
        return open(root, mode, Checks.strict());
    }

    /**
     * Lists {@code root} and checks every image: fails if it has no class sub-folder, a class sub-folder has no
     * PNG/JPEG file (or none left after skipping), or an image is bad and {@code checks.skipBad()} is off.
     */
    public static ImageFolderDataset open(Path root, ColorMode mode, Checks checks) throws IOException {
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
        List<List<Path>> perClass = new ArrayList<>();
        List<Path> all = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images;
            try (Stream<Path> entries = Files.list(dir)) {
                images = entries.filter(p -> Files.isRegularFile(p) && isImageName(p)).sorted().toList();
            }
            if (images.isEmpty()) {
                throw new DataFormatException(dir + ": class folder has no .png, .jpg or .jpeg images");
            }
            perClass.add(images);
            all.addAll(images);
        }
        String[] problems = ImageChecks.run(all, checks.maxPixels(), checks.workers());
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int k = 0;
        for (int c = 0; c < classDirs.size(); c++) {
            int kept = 0;
            for (Path image : perClass.get(c)) {
                String problem = problems[k++];
                if (problem == null) {
                    files.add(image);
                    labels.add(c);
                    kept++;
                } else if (checks.skipBad()) {
                    checks.onSkip().accept(problem);
                } else {
                    throw new DataFormatException(problem + " (use --skip-bad-images to leave bad images out)");
                }
            }
            if (kept == 0) {
                throw new DataFormatException(classDirs.get(c) + ": class folder has no readable images left after"
                        + " skipping the bad ones");
            }
            classNames.add(classDirs.get(c).getFileName().toString());
        }
        return new ImageFolderDataset(List.copyOf(files), labels.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(classNames), mode, checks.maxPixels());
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

    /** The label of example {@code index}, without reading its image. */
    public int label(int index) {
        return labels[index];
    }

    @Override
    public Example get(int index) {
        try {
            return ImageFiles.readExample(files.get(index), mode, labels[index], maxPixels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
