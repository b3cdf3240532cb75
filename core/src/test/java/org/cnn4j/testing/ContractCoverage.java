package org.cnn4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Keeps "every backend runs every contract class" true by construction: a contract class is any abstract
 * {@link BackendTestBase} subclass in {@code org.cnn4j.contract} (found by listing this test-jar, so a new one
 * is seen without registering it anywhere), and each backend module has one test asserting that every
 * contract has a concrete subclass among that module's test classes.
 */
public final class ContractCoverage {
    private static final String CONTRACT_PACKAGE = "org/cnn4j/contract/";

    private ContractCoverage() {
    }

    /** The contract classes of core's test-jar, sorted by name. */
    public static List<Class<?>> contracts() {
        List<Class<?>> contracts = new ArrayList<>();
        for (String name : classNames(location(BackendTestBase.class), CONTRACT_PACKAGE)) {
            Class<?> c = load(name);
            if (c != BackendTestBase.class && BackendTestBase.class.isAssignableFrom(c)
                    && Modifier.isAbstract(c.getModifiers()) && Modifier.isPublic(c.getModifiers())) {
                contracts.add(c);
            }
        }
        contracts.sort(Comparator.comparing(Class::getName));
        return contracts;
    }

    /** Every test class compiled beside {@code anchor} (same output directory or jar), loaded uninitialised. */
    public static List<Class<?>> classesBeside(Class<?> anchor) {
        List<Class<?>> classes = new ArrayList<>();
        for (String name : classNames(location(anchor), "")) {
            classes.add(load(name));
        }
        return classes;
    }

    /** For each contract, the concrete classes among {@code candidates} that run it (empty list: not run). */
    public static Map<Class<?>, List<Class<?>>> implementations(Collection<Class<?>> contracts,
                                                                Collection<Class<?>> candidates) {
        Map<Class<?>, List<Class<?>>> map = new LinkedHashMap<>();
        for (Class<?> contract : contracts) {
            List<Class<?>> runners = new ArrayList<>();
            for (Class<?> c : candidates) {
                if (contract.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                    runners.add(c);
                }
            }
            map.put(contract, runners);
        }
        return map;
    }

    /** Names of the contracts with no concrete subclass among {@code candidates}. */
    public static List<String> missing(Collection<Class<?>> contracts, Collection<Class<?>> candidates) {
        List<String> missing = new ArrayList<>();
        implementations(contracts, candidates).forEach((contract, runners) -> {
            if (runners.isEmpty()) {
                missing.add(contract.getSimpleName());
            }
        });
        return missing;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ContractCoverage.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("listed but not loadable: " + name, e);
        }
    }

    private static Path location(Class<?> c) {
        try {
            return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no file location for " + c.getName(), e);
        }
    }

    /** Top-level and nested class names under {@code prefix} in a classes directory or a jar. */
    private static List<String> classNames(Path root, String prefix) {
        List<String> entries = new ArrayList<>();
        try {
            if (Files.isDirectory(root)) {
                Path dir = root.resolve(prefix);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.forEach(f -> entries.add(root.relativize(f).toString().replace('\\', '/')));
                    }
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    jar.stream().forEach(e -> entries.add(e.getName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing classes in " + root, e);
        }
        List<String> names = new ArrayList<>();
        for (String entry : entries) {
            if (entry.startsWith(prefix) && entry.endsWith(".class") && !entry.endsWith("module-info.class")) {
                names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
            }
        }
        return names;
    }
}
