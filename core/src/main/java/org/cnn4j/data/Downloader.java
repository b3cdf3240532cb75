package org.cnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Downloads a file, checks its SHA-256, and only then moves it into place atomically: a failed or
 * mismatched download leaves neither the target nor a partial file behind.
 */
public final class Downloader {

    private static final int TIMEOUT_MS = 30_000;

    private Downloader() {
    }

    /** Fetches {@code url} to {@code target} (creating its directory) if its SHA-256 is {@code sha256}. */
    public static void download(URI url, Path target, String sha256) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, target.getFileName().toString(), ".part");
        try {
            String actual = fetch(url, partial);
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new IOException("checksum mismatch for " + url + ": expected SHA-256 " + sha256 + ", got "
                        + actual + " (nothing was written to " + target + ")");
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Streams {@code url} into {@code file}, returning the hex SHA-256 of what was written. */
    private static String fetch(URI url, Path file) throws IOException {
        URLConnection connection = url.toURL().openConnection();
        connection.setConnectTimeout(TIMEOUT_MS);
        connection.setReadTimeout(TIMEOUT_MS);
        if (connection instanceof HttpURLConnection http) {
            int status = http.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                http.disconnect();
                throw new IOException("download of " + url + " failed: HTTP " + status);
            }
        }
        MessageDigest digest = sha256();
        try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
