package org.cnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cnn4j.data.FashionMnist.Located;
import org.cnn4j.data.FashionMnist.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private static final String[] NAMES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    @TempDir
    Path tmp;
    private Path cache;
    private Path system;
    private HttpServer server;
    private final Map<String, byte[]> served = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void setUp() {
        cache = tmp.resolve("cache");
        system = tmp.resolve("system");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private FashionMnist locator(URI baseUrl, Map<String, String> sha256) {
        return new FashionMnist(cache, system, baseUrl, sha256);
    }

    private FashionMnist offline() {
        return locator(URI.create("http://127.0.0.1:9/"), FashionMnist.OFFICIAL_SHA256);
    }

    @Test
    void explicitDirectoryComesFirst() throws Exception {
        Path mine = tmp.resolve("mine");
        IdxFiles.writeFashionSet(mine, true, "t10k");
        IdxFiles.writeFashionSet(cache, true, "t10k");
        Located found = offline().find(mine, false);
        assertEquals(Source.DIRECTORY, found.source());
        assertEquals("Fashion-MNIST from " + mine + " (20 train, 10 test)", found.description());
        assertEquals(new ImageShape(1, 4, 4), found.train().shape());
        assertEquals(FashionMnist.CLASS_NAMES, found.test().classNames());
    }

    @Test
    void explicitDirectoryWithoutTheFilesIsAnError() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IdxFiles.writeFashionSet(cache, true, "t10k");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> offline().find(empty, false));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("train-images-idx3-ubyte.gz"),
                e.getMessage());
    }

    @Test
    void cacheComesBeforeTheSystemCopy() throws Exception {
        IdxFiles.writeFashionSet(cache, true, "t10k");
        IdxFiles.writeFashionSet(system, false, "test");
        assertEquals(Source.CACHE, offline().find(null, false).source());
        // an incomplete cache is passed over
        Files.delete(cache.resolve("t10k-labels-idx1-ubyte.gz"));
        Located found = offline().find(null, true);
        assertEquals(Source.SYSTEM, found.source());
        assertEquals(10, found.test().size());
        assertTrue(found.description().contains(system.toString()));
    }

    @Test
    void acceptsRawFilesAndDottedMnistNames() throws Exception {
        Files.createDirectories(system);
        IdxFiles.write(system.resolve("train-images.idx3-ubyte"), IdxFiles.images(2, 3, 3));
        IdxFiles.write(system.resolve("train-labels.idx1-ubyte"), IdxFiles.labels(1, 2));
        IdxFiles.write(system.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(1, 3, 3));
        IdxFiles.write(system.resolve("test-labels-idx1-ubyte.gz"), IdxFiles.gzip(IdxFiles.labels(4)));
        Located found = offline().find(null, false);
        assertEquals(Source.SYSTEM, found.source());
        assertEquals(2, found.train().size());
        assertEquals(4, found.test().get(0).label());
    }

    @Test
    void withNothingLocalAndNoDownloadTheEmbeddedSubsetIsUsed() throws Exception {
        Located found = offline().find(null, false);
        assertEquals(Source.EMBEDDED_SUBSET, found.source());
        assertEquals("Fashion-MNIST embedded subset (8000 train, 2000 test)", found.description());
        assertEquals(new ImageShape(1, 28, 28), found.train().shape());
        int[] trainCounts = new int[10];
        int[] testCounts = new int[10];
        for (int i = 0; i < found.train().size(); i++) {
            trainCounts[found.train().label(i)]++;
        }
        for (int i = 0; i < found.test().size(); i++) {
            testCounts[found.test().label(i)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(800, trainCounts[c], "train class " + c);
            assertEquals(200, testCounts[c], "test class " + c);
        }
        float sum = 0;
        for (float v : found.train().get(0).image()) {
            sum += v;
        }
        assertTrue(sum > 0, "first image is not blank");
    }

    private void serve(Map<String, byte[]> files) throws IOException {
        served.putAll(files);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fm/", exchange -> {
            requests.incrementAndGet();
            String name = exchange.getRequestURI().getPath().substring("/fm/".length());
            byte[] body = served.get(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    private URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fm/");
    }

    private Map<String, byte[]> tinySet() throws IOException {
        Path src = tmp.resolve("src");
        IdxFiles.writeFashionSet(src, true, "t10k");
        Map<String, byte[]> files = new HashMap<>();
        for (String name : NAMES) {
            files.put(name, Files.readAllBytes(src.resolve(name)));
        }
        return files;
    }

    private static Map<String, String> sha256(Map<String, byte[]> files) {
        Map<String, String> sums = new HashMap<>();
        files.forEach((name, bytes) -> sums.put(name,
                HexFormat.of().formatHex(Downloader.sha256().digest(bytes))));
        return sums;
    }

    @Test
    void downloadsIntoTheCacheOnlyWhenAsked() throws Exception {
        Map<String, byte[]> files = tinySet();
        serve(files);
        FashionMnist locator = locator(baseUrl(), sha256(files));
        assertEquals(Source.EMBEDDED_SUBSET, locator.find(null, false).source());
        assertEquals(0, requests.get());

        Located found = locator.find(null, true);
        assertEquals(Source.DOWNLOAD, found.source());
        assertEquals("Fashion-MNIST downloaded to " + cache + " (20 train, 10 test)", found.description());
        assertEquals(4, requests.get());
        for (String name : NAMES) {
            assertTrue(Files.isRegularFile(cache.resolve(name)), name);
        }
        assertEquals(Source.CACHE, locator.find(null, true).source());
        assertEquals(4, requests.get(), "cached files are not fetched again");
    }

    @Test
    void checksumMismatchLeavesNoFileBehind() throws Exception {
        Map<String, byte[]> files = tinySet();
        Map<String, String> sums = sha256(files);
        files.put("t10k-images-idx3-ubyte.gz", IdxFiles.gzip(IdxFiles.images(10, 4, 5)));
        serve(files);
        IOException e = assertThrows(IOException.class, () -> locator(baseUrl(), sums).find(null, true));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("t10k-images-idx3-ubyte.gz")
                && e.getMessage().contains(sums.get("t10k-images-idx3-ubyte.gz")), e.getMessage());
        assertFalse(Files.exists(cache.resolve("t10k-images-idx3-ubyte.gz")));
        try (Stream<Path> left = Files.list(cache)) {
            List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), names,
                    "only verified files, no partial ones");
        }
    }

    @Test
    void httpErrorNamesTheUrlAndStatus() throws Exception {
        serve(Map.of());
        IOException e = assertThrows(IOException.class,
                () -> locator(baseUrl(), FashionMnist.OFFICIAL_SHA256).find(null, true));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("HTTP 404"),
                e.getMessage());
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void systemPropertiesConfigureTheStaticLocator() throws Exception {
        IdxFiles.writeFashionSet(system, true, "t10k");
        String[] keys = {FashionMnist.CACHE_DIR_PROPERTY, FashionMnist.SYSTEM_DIR_PROPERTY};
        Map<String, String> saved = new HashMap<>();
        for (String key : keys) {
            saved.put(key, System.getProperty(key));
        }
        try {
            System.setProperty(FashionMnist.CACHE_DIR_PROPERTY, cache.toString());
            System.setProperty(FashionMnist.SYSTEM_DIR_PROPERTY, system.toString());
            assertEquals(Source.SYSTEM, FashionMnist.locate(null, false).source());
            IdxFiles.writeFashionSet(cache, false, "t10k");
            assertEquals(Source.CACHE, FashionMnist.locate(null, false).source());
        } finally {
            for (String key : keys) {
                if (saved.get(key) == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, saved.get(key));
                }
            }
        }
    }
}
