package org.cnn4j.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the CUDA libraries came from, or could come from, on Linux: the file a library was mapped from
 * ({@code /proc/self/maps}), and the places the dynamic loader searches ({@code LD_LIBRARY_PATH}, the ldconfig
 * cache {@code /etc/ld.so.cache}, the usual CUDA directories). Only for reports: loading is the JVM's job.
 */
final class SharedLibraries {
    /** Directories NVIDIA's packages, the CUDA toolkit and WSL put libraries in (searched after the cache). */
    static final List<String> USUAL_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/local/cuda/lib64",
            "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/wsl/lib");

    private SharedLibraries() {
    }

    /** The file {@code soname} (e.g. "libcudnn.so.9") is mapped from in this process, or null. */
    static String loadedPath(String soname) {
        try {
            return loadedPath(Files.readString(Paths.get("/proc/self/maps"), StandardCharsets.ISO_8859_1), soname);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Pure part of {@link #loadedPath(String)}: the first mapped path whose file name starts with {@code soname}. */
    static String loadedPath(String maps, String soname) {
        for (String line : maps.split("\n")) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String path = line.substring(slash).trim();
            String file = path.substring(path.lastIndexOf('/') + 1);
            if (file.equals(soname) || file.startsWith(soname + ".")) {
                return path;
            }
        }
        return null;
    }

    /**
     * Whether {@code path} is the forwarding libcublas.so.12 of tools/cuda/cublas-shim (a small library holding its
     * "cublas-shim:" messages; the real cuBLAS is over 100 MB).
     */
    static boolean isCublasShim(String path) {
        try {
            Path p = path == null ? null : Paths.get(path);
            if (p == null || Files.size(p) > (1 << 20)) {
                return false;
            }
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("cublas-shim:");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Existing files named {@code soname} where the loader would look: LD_LIBRARY_PATH, the cache, usual dirs. */
    static List<String> candidates(String soname) {
        Set<String> found = new LinkedHashSet<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String dir : ld.split(":")) {
                if (!dir.isBlank()) {
                    addIfFile(found, Paths.get(dir, soname));
                }
            }
        }
        try {
            for (String p : cachePaths(Files.readAllBytes(Paths.get("/etc/ld.so.cache")), soname)) {
                addIfFile(found, Paths.get(p));
            }
        } catch (IOException | RuntimeException e) {
            // no cache: nothing to add
        }
        for (String dir : USUAL_DIRS) {
            addIfFile(found, Paths.get(dir, soname));
        }
        return new ArrayList<>(found);
    }

    private static void addIfFile(Set<String> found, Path p) {
        if (Files.exists(p)) {
            found.add(p.toString());
        }
    }

    /**
     * The paths the ldconfig cache lists for {@code soname}. Both cache formats store each library's full path as a
     * NUL-terminated string, so a byte scan finds them without parsing the tables.
     */
    static List<String> cachePaths(byte[] cache, String soname) {
        byte[] needle = ("/" + soname).getBytes(StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i + needle.length < cache.length; i++) {
            if (cache[i + needle.length] != 0 || !matches(cache, i, needle)) {
                continue;
            }
            int start = i;
            while (start > 0 && cache[start - 1] != 0) {
                start--;
            }
            if (cache[start] == '/') {
                out.add(new String(cache, start, i + needle.length - start, StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    private static boolean matches(byte[] data, int at, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (data[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /** The NVIDIA kernel driver's version, e.g. "550.54.15", from /proc/driver/nvidia/version; empty if unknown. */
    static String kernelDriverVersion() {
        try {
            return kernelDriverVersion(Files.readString(Paths.get("/proc/driver/nvidia/version"),
                    StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Pure part: the first dotted number after "Kernel Module" on the NVRM line. */
    static String kernelDriverVersion(String procText) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Kernel Module\\s+(?:for \\S+\\s+)?(\\d+(?:\\.\\d+)+)")
                .matcher(procText);
        return m.find() ? m.group(1) : "";
    }
}
