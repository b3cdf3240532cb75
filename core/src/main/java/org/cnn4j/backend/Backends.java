package org.cnn4j.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends with {@link ServiceLoader} and hands out one shared instance per name. The default is
 * {@code -Dcnn4j.backend}, else {@code CNN4J_BACKEND}, else {@code auto} (the available backend with the
 * highest priority). Naming an unavailable backend is an error that says what is missing; under {@code auto}
 * a fallback is logged, never silent.
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
    private static final Map<String, Backend> INSTANCES = new ConcurrentHashMap<>();
    private static final ThreadLocal<Backend> CURRENT = new ThreadLocal<>();
    private static volatile Backend defaultBackend;

    private Backends() {
    }

    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /** The configured name: system property, environment, or "auto". */
    public static String configuredName() {
        String name = System.getProperty("cnn4j.backend");
        if (name == null || name.isBlank()) {
            name = System.getenv("CNN4J_BACKEND");
        }
        return name == null || name.isBlank() ? "auto" : name.trim().toLowerCase(Locale.ROOT);
    }

    /** The backend called {@code name} ("auto", "cpu", "cuda"), created once per JVM. */
    public static Backend get(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("auto")) {
            return INSTANCES.computeIfAbsent(chooseAuto(), Backends::create);
        }
        return INSTANCES.computeIfAbsent(key, Backends::create);
    }

    private static String chooseAuto() {
        List<BackendProvider> all = providers();
        if (all.isEmpty()) {
            throw new BackendUnavailableException("no cnn4j backend on the class path; add cnn4j-cpu-backend"
                    + " (pure Java) or cnn4j-cuda-backend");
        }
        for (BackendProvider p : all) {
            if (p.isAvailable()) {
                return p.name();
            }
            LOG.info("backend '{}' not available: {}", p.name(), p.unavailableReason());
        }
        throw new BackendUnavailableException("no usable backend: " + all.stream()
                .map(p -> p.name() + " (" + p.unavailableReason() + ")").toList());
    }

    private static Backend create(String name) {
        List<BackendProvider> all = providers();
        for (BackendProvider p : all) {
            if (p.name().equals(name)) {
                if (!p.isAvailable()) {
                    throw new BackendUnavailableException("backend '" + name + "' is not available: "
                            + p.unavailableReason());
                }
                Backend b = p.create();
                LOG.info("using backend {}: {}", b.name(), b.description());
                return b;
            }
        }
        throw new BackendUnavailableException("unknown backend '" + name + "'; on the class path: "
                + all.stream().map(BackendProvider::name).toList() + " (or 'auto')");
    }

    /** The backend called {@code name}, or the configured default ({@link #current()}) when {@code name} is null. */
    public static Backend resolve(String name) {
        return name == null ? current() : get(name);
    }

    /** The backend new tensors and parameters go to on this thread: see {@link #use}, else the default. */
    public static Backend current() {
        Backend b = CURRENT.get();
        if (b != null) {
            return b;
        }
        Backend d = defaultBackend;
        if (d == null) {
            synchronized (Backends.class) {
                if (defaultBackend == null) {
                    defaultBackend = get(configuredName());
                }
                d = defaultBackend;
            }
        }
        return d;
    }

    /** Makes {@code backend} current on this thread until the returned handle is closed. */
    public static Use use(Backend backend) {
        Backend previous = CURRENT.get();
        CURRENT.set(backend);
        return new Use(previous);
    }

    /** Restores the previously current backend on close. */
    public static final class Use implements AutoCloseable {
        private final Backend previous;

        private Use(Backend previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            CURRENT.set(previous);
        }
    }
}
