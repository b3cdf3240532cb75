package org.cnn4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import jcuda.JCudaVersion;
import org.cnn4j.io.AtomicFiles;

/**
 * Extracts JCuda's JNI libraries into a private directory and loads them from there. JCuda's {@code LibUtils}
 * first tries {@code System.loadLibrary}, then writes the library from the jar to {@code java.io.tmpdir} and
 * loads it, silently reusing any file of the same name already there (a stale or foreign one). There is no
 * JCuda setting for that path, so this class writes each library itself (checking the SHA-256 of any file
 * already present) into {@code -Dcnn4j.cuda.nativeDir} (or {@code CNN4J_CUDA_NATIVE_DIR}, default
 * {@code ~/.cache/cnn4j/jcuda-natives/<version>}) and points {@code java.io.tmpdir} there only while a JCuda
 * class initialises, so LibUtils finds the verified file.
 */
public final class CudaNatives {
    private CudaNatives() {
    }

    /** JCuda's native library version, e.g. "12.6.0". */
    public static String jcudaVersion() {
        return JCudaVersion.get();
    }

    /** The directory natives are extracted to. */
    public static Path nativeDir() {
        String dir = System.getProperty("cnn4j.cuda.nativeDir");
        if (dir == null || dir.isBlank()) {
            dir = System.getenv("CNN4J_CUDA_NATIVE_DIR");
        }
        if (dir != null && !dir.isBlank()) {
            return Paths.get(dir);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "cnn4j", "jcuda-natives", jcudaVersion());
    }

    /** The file name LibUtils looks for, e.g. {@code libJCudnn-12.6.0-linux-x86_64.so}. */
    static String libraryFileName(String baseName) {
        return "lib" + baseName + "-" + jcudaVersion() + "-" + platform() + ".so";
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.replace(' ', '_');
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
        return o + "-" + a;
    }

    /**
     * Makes sure {@code lib<baseName>-<version>-<platform>.so} in {@link #nativeDir()} holds exactly the bytes
     * shipped in the jar; returns its path.
     */
    public static synchronized Path extract(String baseName) throws IOException {
        String file = libraryFileName(baseName);
        byte[] bytes;
        try (InputStream in = CudaNatives.class.getResourceAsStream("/lib/" + file)) {
            if (in == null) {
                throw new IOException("JCuda native " + file + " is not on the class path (the "
                        + "org.jcuda natives jar for " + platform() + " is missing)");
            }
            bytes = in.readAllBytes();
        }
        Path dir = nativeDir();
        Files.createDirectories(dir);
        Path target = dir.resolve(file);
        if (Files.isRegularFile(target) && Arrays.equals(sha256(Files.readAllBytes(target)), sha256(bytes))) {
            return target;
        }
        AtomicFiles.writeBytes(target, bytes);
        return target;
    }

    /**
     * Extracts the given libraries, then runs {@code init} (which should touch the JCuda classes that load
     * them) with {@code java.io.tmpdir} pointing at the private directory.
     */
    public static synchronized void loadWith(Runnable init, String... baseNames) throws IOException {
        for (String name : baseNames) {
            extract(name);
        }
        String previous = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", nativeDir().toString());
        try {
            init.run();
        } finally {
            System.setProperty("java.io.tmpdir", previous);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }
}
