package org.cnn4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BackendProvider;
import org.cnn4j.backend.Backends;
import org.cnn4j.cuda.CudaBackendProvider;
import org.cnn4j.cuda.CudaDiagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cnn doctor}: what a user needs to know when the GPU does not come up. Java and the Vector API, the CPU
 * backend, each piece of the CUDA stack (where it was found or why not, versions, devices), and which backend
 * {@code auto} picks and why. Always exits 0: every probe runs behind a catch, a broken native stack is a finding.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check Java, the CPU backend and the CUDA stack (driver, cuBLAS, cuDNN, devices); say which backend 'auto' picks.")
public final class DoctorCommand implements Callable<Integer> {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "one JSON object on standard output, for scripts")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> report = report();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            print(report, out);
        }
        out.flush();
        return 0;
    }

    /** The whole report as maps and lists (the --json form); never throws. */
    static Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("java", ordered("version", Runtime.version().toString(),
                "vendor", System.getProperty("java.vendor", ""), "home", System.getProperty("java.home", "")));
        boolean vector = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        r.put("vector_api", ordered("module_present", vector, "detail", vector ? VECTOR_MODULE + " is present"
                : "start the JVM with --add-modules " + VECTOR_MODULE + " (the cnn launcher does) for the SIMD kernels"));
        r.put("cpu", describeBackend("cpu"));
        r.put("cuda", cuda());
        List<Map<String, Object>> backends = new ArrayList<>();
        String auto = null;
        List<String> skipped = new ArrayList<>();
        for (BackendProvider p : safeProviders()) {
            Map<String, Object> b = new LinkedHashMap<>();
            boolean available = safeAvailable(p);
            b.put("name", p.name());
            b.put("priority", p.priority());
            b.put("available", available);
            b.put("reason", available ? "" : safeReason(p));
            backends.add(b);
            if (auto == null && available) {
                auto = p.name();
            } else if (auto == null) {
                skipped.add(p.name() + " is not available (" + b.get("reason") + ")");
            }
        }
        r.put("backends", backends);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("configured", Backends.configuredName());
        choice.put("auto_picks", auto == null ? "none" : auto);
        choice.put("why", auto == null ? "no backend is available: " + String.join("; ", skipped)
                : skipped.isEmpty() ? "the available backend with the highest priority"
                : String.join("; ", skipped));
        r.put("selection", choice);
        return r;
    }

    private static Map<String, Object> cuda() {
        Map<String, Object> c = new LinkedHashMap<>();
        try {
            CudaBackendProvider provider = new CudaBackendProvider();
            CudaDiagnostics d = provider.diagnostics();
            c.put("available", d.available());
            c.put("reason", d.reason());
            List<Map<String, Object>> pieces = new ArrayList<>();
            for (CudaDiagnostics.Piece p : d.pieces()) {
                pieces.add(ordered("name", p.name(), "status", p.status().name().toLowerCase(Locale.ROOT),
                        "detail", p.detail()));
            }
            c.put("pieces", pieces);
            if (d.available()) {
                // the probe does not create a context or library handles; do it once, as training would
                try (Backend b = provider.create()) {
                    c.put("context", "ok: " + b.description());
                }
            }
        } catch (Throwable t) {
            c.putIfAbsent("available", false);
            c.put("context", "failed: " + t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return c;
    }

    /** A map that keeps its keys in the order given, so the JSON reads in a stable order. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> describeBackend(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            m.put("description", Backends.get(name).description());
        } catch (Throwable t) {
            m.put("description", "failed: " + t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        m.put("available_processors", Runtime.getRuntime().availableProcessors());
        return m;
    }

    private static List<BackendProvider> safeProviders() {
        try {
            return Backends.providers();
        } catch (Throwable t) {
            return List.of();
        }
    }

    private static boolean safeAvailable(BackendProvider p) {
        try {
            return p.isAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private static String safeReason(BackendProvider p) {
        try {
            return p.unavailableReason();
        } catch (Throwable t) {
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> r, PrintWriter out) {
        Map<String, Object> java = (Map<String, Object>) r.get("java");
        Map<String, Object> vector = (Map<String, Object>) r.get("vector_api");
        Map<String, Object> cpu = (Map<String, Object>) r.get("cpu");
        Map<String, Object> cuda = (Map<String, Object>) r.get("cuda");
        Map<String, Object> sel = (Map<String, Object>) r.get("selection");
        out.printf("Java        %s (%s), %s%n", java.get("version"), java.get("vendor"), java.get("home"));
        out.printf("Vector API  %s%n", Boolean.TRUE.equals(vector.get("module_present"))
                ? "available (" + vector.get("detail") + ")" : "off: " + vector.get("detail"));
        out.printf("CPU         %s; %s processors%n", cpu.get("description"), cpu.get("available_processors"));
        out.printf("CUDA        %s%n", Boolean.TRUE.equals(cuda.get("available")) ? "available"
                : "not available: " + cuda.getOrDefault("reason", ""));
        for (Map<String, Object> p : (List<Map<String, Object>>) cuda.getOrDefault("pieces", List.of())) {
            out.printf("  %-13s %-30s %s%n", "[" + p.get("status") + "]", p.get("name"), p.get("detail"));
        }
        if (cuda.containsKey("context")) {
            out.printf("  %-13s %-30s %s%n", String.valueOf(cuda.get("context")).startsWith("ok") ? "[ok]"
                    : "[failed]", "context, cuBLAS and cuDNN handles", cuda.get("context"));
        }
        for (Map<String, Object> b : (List<Map<String, Object>>) r.get("backends")) {
            out.printf("Backend     %-5s priority %3s  %s%n", b.get("name"), b.get("priority"),
                    Boolean.TRUE.equals(b.get("available")) ? "available" : "not available");
        }
        out.printf("auto picks  %s (%s)%n", sel.get("auto_picks"), sel.get("why"));
        if (!"auto".equals(sel.get("configured"))) {
            out.printf("configured  %s (-Dcnn4j.backend or CNN4J_BACKEND), used instead of auto%n",
                    sel.get("configured"));
        }
    }
}
