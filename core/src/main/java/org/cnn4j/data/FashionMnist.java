package org.cnn4j.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds Fashion-MNIST (28x28 grayscale, 10 classes), trying in order: (1) an explicit directory,
 * (2) the cache {@code ~/.cache/cnn4j/fashion-mnist}, (3) Debian's {@code dataset-fashion-mnist} package
 * in {@code /usr/share/datasets/fashion-mnist}, (4) a download of the four official gzip files into the
 * cache, SHA-256 checked, only when asked, (5) the subset embedded in this jar (8000 train, 2000 test images,
 * balanced by class). File names may carry a {@code .gz} suffix or not, and the test files a {@code t10k}
 * or {@code test} prefix.
 */
public final class FashionMnist {

    private static final Logger LOG = LoggerFactory.getLogger(FashionMnist.class);

    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** System property overriding the cache directory (the folder that holds the four files). */
    public static final String CACHE_DIR_PROPERTY = "cnn4j.fashionMnist.cacheDir";
    /** System property overriding the system-wide directory (Debian's package location). */
    public static final String SYSTEM_DIR_PROPERTY = "cnn4j.fashionMnist.systemDir";
    /** System property overriding the download base URL. */
    public static final String BASE_URL_PROPERTY = "cnn4j.fashionMnist.baseUrl";
    public static final String DEFAULT_SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";
    /** The official location, from the zalandoresearch/fashion-mnist README. */
    public static final String DEFAULT_BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    /** SHA-256 of the official gzip files (the README lists MD5s; these hash the same files). */
    public static final Map<String, String> OFFICIAL_SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
            "train-labels-idx1-ubyte.gz", "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
            "t10k-images-idx3-ubyte.gz", "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
            "t10k-labels-idx1-ubyte.gz", "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf");
    private static final String SUBSET_RESOURCE = "fashion-mnist-subset/";
    private static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    /** Where the data came from. */
    public enum Source { DIRECTORY, CACHE, SYSTEM, DOWNLOAD, EMBEDDED_SUBSET }

    /** The located data: its source, the two splits, and a one-line description for logs. */
    public record Located(Source source, ArrayDataset train, ArrayDataset test, String description) {
    }

    private final Path cacheDir;
    private final Path systemDir;
    private final URI baseUrl;
    private final Map<String, String> sha256;

    /**
     * @param sha256 expected SHA-256 per official file name (tests pass their own)
     */
    public FashionMnist(Path cacheDir, Path systemDir, URI baseUrl, Map<String, String> sha256) {
        this.cacheDir = cacheDir;
        this.systemDir = systemDir;
        this.baseUrl = baseUrl;
        this.sha256 = Map.copyOf(sha256);
    }

    /** The locator configured from the system properties above, or the defaults. */
    public static FashionMnist fromSystemProperties() {
        String cache = System.getProperty(CACHE_DIR_PROPERTY);
        Path cacheDir = cache != null ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "cnn4j", "fashion-mnist");
        Path systemDir = Path.of(System.getProperty(SYSTEM_DIR_PROPERTY, DEFAULT_SYSTEM_DIR));
        URI baseUrl = URI.create(System.getProperty(BASE_URL_PROPERTY, DEFAULT_BASE_URL));
        return new FashionMnist(cacheDir, systemDir, baseUrl, OFFICIAL_SHA256);
    }

    /** {@link #find} with the locator from the system properties. */
    public static Located locate(Path dataDir, boolean download) throws IOException {
        return fromSystemProperties().find(dataDir, download);
    }

    /**
     * Loads Fashion-MNIST from the first source that has it.
     *
     * @param dataDir an explicit directory, or {@code null}; when given it must hold the four files
     * @param download whether to download into the cache when neither the cache nor the system copy exists
     */
    public Located find(Path dataDir, boolean download) throws IOException {
        if (dataDir != null) {
            Path[] files = findFiles(dataDir);
            if (files == null) {
                throw new NoSuchFileException(dataDir.toString(), null, "no Fashion-MNIST files there (expected "
                        + String.join(", ", FILES) + ", with or without .gz)");
            }
            return load(Source.DIRECTORY, dataDir, files);
        }
        Path[] cached = findFiles(cacheDir);
        if (cached != null) {
            return load(Source.CACHE, cacheDir, cached);
        }
        Path[] system = findFiles(systemDir);
        if (system != null) {
            return load(Source.SYSTEM, systemDir, system);
        }
        if (download) {
            for (String name : FILES) {
                if (!Files.exists(cacheDir.resolve(name))) {
                    URI url = baseUrl.resolve(name);
                    LOG.info("Downloading {} to {}", url, cacheDir);
                    Downloader.download(url, cacheDir.resolve(name), sha256.get(name));
                }
            }
            return load(Source.DOWNLOAD, cacheDir, findFiles(cacheDir));
        }
        return embeddedSubset();
    }

    /** The subset shipped in the jar. */
    public static Located embeddedSubset() throws IOException {
        ArrayDataset train = embedded(FILES[0], FILES[1]);
        ArrayDataset test = embedded(FILES[2], FILES[3]);
        return new Located(Source.EMBEDDED_SUBSET, train, test, "Fashion-MNIST embedded subset (" + train.size()
                + " train, " + test.size() + " test)");
    }

    private static ArrayDataset embedded(String imagesFile, String labelsFile) throws IOException {
        String imagesName = "embedded " + SUBSET_RESOURCE + imagesFile;
        String labelsName = "embedded " + SUBSET_RESOURCE + labelsFile;
        byte[] images = resourceBytes(imagesFile);
        byte[] labels = resourceBytes(labelsFile);
        return IdxReader.toDataset(imagesName,
                IdxReader.readImages(imagesName, new ByteArrayInputStream(images), images.length),
                labelsName, IdxReader.readLabels(labelsName, new ByteArrayInputStream(labels), labels.length),
                CLASS_NAMES);
    }

    private static byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = FashionMnist.class.getResourceAsStream(SUBSET_RESOURCE + name)) {
            if (in == null) {
                throw new NoSuchFileException(SUBSET_RESOURCE + name, null, "embedded Fashion-MNIST subset missing "
                        + "from the classpath");
            }
            return in.readAllBytes();
        }
    }

    private static Located load(Source source, Path dir, Path[] files) throws IOException {
        ArrayDataset train = IdxReader.readDataset(files[0], files[1], CLASS_NAMES);
        ArrayDataset test = IdxReader.readDataset(files[2], files[3], CLASS_NAMES);
        String verb = source == Source.DOWNLOAD ? "downloaded to " : "from ";
        return new Located(source, train, test, "Fashion-MNIST " + verb + dir + " (" + train.size() + " train, "
                + test.size() + " test)");
    }

    /** The train images, train labels, test images and test labels in {@code dir}, or null unless all four exist. */
    static Path[] findFiles(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        Path[] found = {
            first(dir, names(List.of("train"), "images", "idx3")),
            first(dir, names(List.of("train"), "labels", "idx1")),
            first(dir, names(List.of("t10k", "test"), "images", "idx3")),
            first(dir, names(List.of("t10k", "test"), "labels", "idx1")),
        };
        for (Path p : found) {
            if (p == null) {
                return null;
            }
        }
        return found;
    }

    private static List<String> names(List<String> prefixes, String kind, String idx) {
        List<String> names = new ArrayList<>();
        for (String prefix : prefixes) {
            for (String sep : new String[] {"-", "."}) {
                String base = prefix + "-" + kind + sep + idx + "-ubyte";
                names.add(base + ".gz");
                names.add(base);
            }
        }
        return names;
    }

    private static Path first(Path dir, List<String> names) {
        for (String name : names) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
