package org.cnn4j.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.cnn4j.backend.Backend;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * {@code cnn bench --profile}: times every backend call of a model step, by op and by layer. Tensors and models are
 * created on {@link #backend()}, a proxy that forwards each call to the real backend and adds its wall time to the
 * current phase (forward, backward, optimizer), op and layer. On a backend that queues work (CUDA) the proxy
 * synchronises after each call, so the times are each op's own, and the step is slower than unprofiled.
 *
 * <p>Layers: in the forward pass, the innermost module whose forward is running (global forward hooks). In the
 * backward pass, a call is charged to the layer that owns a parameter among its arguments (convolution, batch norm,
 * linear); a convolution's filter gradient to the layer whose forward convolution read the same input; else to
 * the layer of the call just before it when the two share a tensor (a convolution's bias gradient shares the
 * output gradient with its filter gradient); else to the module whose forward first touched one of its tensors,
 * the latest such module (a pool's output rather than its input). Other calls are listed as "(not attributed)" with their op.
 */
final class StepProfiler implements InvocationHandler, Module.ForwardHook {
    enum Phase { FORWARD, BACKWARD, OPTIMIZER }

    private static final Set<String> UNTIMED = Set.of("name", "description", "liveBytes", "synchronize", "close");
    private static final String OUTSIDE = "(outside layers)";
    private static final String NOT_ATTRIBUTED = "(not attributed)";

    private final Backend delegate;
    private final Backend proxy;
    private final boolean queued;
    private final Deque<String> running = new ArrayDeque<>();
    private final Map<String, long[]> byOp = new LinkedHashMap<>();      // phase/op -> nanos, calls
    private final Map<String, long[]> byLayer = new LinkedHashMap<>();   // layer -> nanos per phase
    private final Map<String, String> layerTypes = new LinkedHashMap<>();
    private Map<Module, String> moduleNames = new IdentityHashMap<>();
    private Map<Tensor, String> parameterOwners = new IdentityHashMap<>();
    /** This step's tensors that a parameter's forward call touched, by the parameter's layer. */
    private final Map<Tensor, String> forwardTensorsOfLayers = new IdentityHashMap<>();
    /** This step's forward tensors: the innermost module running when a call first touched them, and when. */
    private final Map<Tensor, FirstTouch> forwardTensors = new IdentityHashMap<>();

    private record FirstTouch(String layer, int call) {
    }
    private Phase phase;
    private boolean recording;
    private String previousLayer;
    private Object[] previousArgs;
    private int steps;

    StepProfiler(Backend delegate, boolean queued) {
        this.delegate = delegate;
        this.queued = queued;
        this.proxy = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                this);
    }

    /** The backend to create the model and its inputs on. */
    Backend backend() {
        return proxy;
    }

    /** Names the model's layers and parameters, and starts recording (calls before are not counted). */
    void attach(Module model) {
        recording = true;
        moduleNames = new IdentityHashMap<>();
        model.namedModules().forEach((name, m) -> {
            String shown = name.isEmpty() ? "(model)" : name;
            moduleNames.put(m, shown);
            layerTypes.put(shown, m.typeName());
        });
        parameterOwners = new IdentityHashMap<>();
        model.namedParameters().forEach((name, t) -> {
            int dot = name.lastIndexOf('.');
            parameterOwners.put(t, dot < 0 ? "(model)" : name.substring(0, dot));
        });
    }

    /** Starts charging calls to {@code next}; null stops recording. */
    void phase(Phase next) {
        phase = next;
        previousLayer = null;
        previousArgs = null;
    }

    /** Marks the end of one profiled step. */
    void stepDone() {
        phase(null);
        forwardTensorsOfLayers.clear();
        forwardTensors.clear();
        steps++;
    }

    @Override
    public void before(Module module, Tensor input) {
        running.push(moduleNames.getOrDefault(module, module.typeName()));
    }

    @Override
    public void after(Module module, Tensor input, Tensor output) {
        running.poll();
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> self == args[0];
                case "hashCode" -> System.identityHashCode(self);
                default -> "profiled " + delegate;
            };
        }
        if (!recording || phase == null || UNTIMED.contains(method.getName())) {
            return call(method, args);
        }
        long start = System.nanoTime();
        Object result = call(method, args);
        if (queued) {
            delegate.synchronize();
        }
        long nanos = System.nanoTime() - start;
        long[] op = byOp.computeIfAbsent(phase.name().toLowerCase(Locale.ROOT) + "/" + method.getName(),
                k -> new long[2]);
        op[0] += nanos;
        op[1]++;
        byLayer.computeIfAbsent(layerOf(method.getName(), args), k -> new long[Phase.values().length])[phase.ordinal()] += nanos;
        return result;
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private String layerOf(String op, Object[] args) {
        Object[] tensors = args == null ? new Object[0] : args;
        String owner = null;
        for (Object a : tensors) {
            if (a instanceof Tensor t && parameterOwners.containsKey(t)) {
                owner = parameterOwners.get(t);
                break;
            }
        }
        switch (phase) {
            case FORWARD -> {
                String layer = running.isEmpty() ? OUTSIDE : running.peek();
                for (Object a : tensors) {
                    if (a instanceof Tensor t) {
                        forwardTensors.putIfAbsent(t, new FirstTouch(layer, forwardTensors.size()));
                        if (owner != null) {
                            forwardTensorsOfLayers.putIfAbsent(t, owner);
                        }
                    }
                }
                return layer;
            }
            case OPTIMIZER -> {
                return owner == null ? NOT_ATTRIBUTED + " " + op : owner;
            }
            default -> {
                if (owner == null && op.equals("conv2dBackwardFilter")) { // by its input, as the forward read it
                    owner = forwardTensorsOfLayers.get((Tensor) tensors[0]);
                }
                if (owner == null && previousLayer != null && sharesTensor(tensors, previousArgs)) {
                    owner = previousLayer;
                }
                if (hasTensor(tensors)) { // an allocation between two calls of one op does not break the chain
                    previousLayer = owner;
                    previousArgs = tensors;
                }
                if (owner == null) { // the latest module to produce one of its tensors: a pool's output, not its input
                    FirstTouch latest = null;
                    for (Object a : tensors) {
                        FirstTouch touch = a instanceof Tensor t ? forwardTensors.get(t) : null;
                        if (touch != null && !touch.layer().equals(OUTSIDE)
                                && (latest == null || touch.call() > latest.call())) {
                            latest = touch;
                        }
                    }
                    owner = latest == null ? null : latest.layer();
                }
                return owner == null ? NOT_ATTRIBUTED + " " + op : owner;
            }
        }
    }

    private static boolean hasTensor(Object[] args) {
        for (Object a : args) {
            if (a instanceof Tensor) {
                return true;
            }
        }
        return false;
    }

    private static boolean sharesTensor(Object[] a, Object[] b) {
        for (Object x : a) {
            if (x instanceof Tensor) {
                for (Object y : b) {
                    if (x == y) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The op type a backend method belongs to, the same groups {@code tools/bench/profile_torch.py} uses. */
    static String category(String op) {
        if (op.startsWith("conv2d")) {
            return "conv";
        } else if (op.equals("gemm")) {
            return "gemm";
        } else if (op.startsWith("batchNorm")) {
            return "batchnorm";
        } else if (op.startsWith("activation")) {
            return "activation";
        } else if (op.startsWith("pool2d") || op.startsWith("adaptiveAvgPool")) {
            return "pool";
        } else if (op.startsWith("softmax") || op.startsWith("nllLoss")) {
            return "loss";
        } else if (op.endsWith("Update")) {
            return "optimizer";
        } else if (op.equals("allocate") || op.equals("write") || op.equals("read")) {
            return "memory";
        }
        return "elementwise";
    }

    /** Per step: {phase, op, category, calls, ms} rows, slowest first. */
    List<Map<String, Object>> opRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        byOp.forEach((key, v) -> {
            String[] parts = key.split("/");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("phase", parts[0]);
            row.put("op", parts[1]);
            row.put("category", category(parts[1]));
            row.put("calls", v[1] / Math.max(steps, 1));
            row.put("ms", perStep(v[0]));
            rows.add(row);
        });
        rows.sort(Comparator.comparingDouble(r -> -(double) r.get("ms")));
        return rows;
    }

    /** Per step: ms by category and phase. */
    Map<String, Map<String, Double>> categoryTotals() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (Map<String, Object> row : opRows()) {
            out.computeIfAbsent((String) row.get("category"), k -> new LinkedHashMap<>())
                    .merge((String) row.get("phase"), (Double) row.get("ms"), Double::sum);
        }
        return out;
    }

    /** Per step: {layer, type, forward, backward, optimizer, total} in ms, slowest first. */
    List<Map<String, Object>> layerRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        byLayer.forEach((layer, nanos) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", layer);
            row.put("type", layerTypes.getOrDefault(layer, ""));
            long total = 0;
            for (Phase p : Phase.values()) {
                row.put(p.name().toLowerCase(Locale.ROOT), perStep(nanos[p.ordinal()]));
                total += nanos[p.ordinal()];
            }
            row.put("total", perStep(total));
            rows.add(row);
        });
        rows.sort(Comparator.comparingDouble(r -> -(double) r.get("total")));
        return rows;
    }

    double totalMs() {
        return opRows().stream().mapToDouble(r -> (double) r.get("ms")).sum();
    }

    private double perStep(long nanos) {
        return Math.round(nanos / 1e3 / Math.max(steps, 1)) / 1e3;
    }

    /** The tables {@code cnn bench --profile} prints: categories, the slowest ops, the slowest layers. */
    String describe(double stepMs, int maxRows) {
        StringBuilder sb = new StringBuilder();
        double total = totalMs();
        sb.append(String.format(Locale.ROOT, "profile: %d step(s); backend calls %.1f ms of the %.1f ms step (%.0f%%)%n",
                steps, total, stepMs, 100 * total / stepMs));
        sb.append(String.format(Locale.ROOT, "%n%-12s %10s %10s %10s %10s %6s%n", "category", "forward", "backward",
                "optimizer", "total ms", "%"));
        categoryTotals().entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> -sum(e.getValue())))
                .forEach(e -> sb.append(String.format(Locale.ROOT, "%-12s %10.2f %10.2f %10.2f %10.2f %5.1f%%%n",
                        e.getKey(), e.getValue().getOrDefault("forward", 0.0),
                        e.getValue().getOrDefault("backward", 0.0), e.getValue().getOrDefault("optimizer", 0.0),
                        sum(e.getValue()), 100 * sum(e.getValue()) / total)));
        sb.append(String.format(Locale.ROOT, "%n%-10s %-28s %7s %10s %6s%n", "phase", "op", "calls", "ms", "%"));
        opRows().stream().limit(maxRows).forEach(r -> sb.append(String.format(Locale.ROOT,
                "%-10s %-28s %7d %10.2f %5.1f%%%n", r.get("phase"), r.get("op"), (long) r.get("calls"),
                (double) r.get("ms"), 100 * (double) r.get("ms") / total)));
        sb.append(String.format(Locale.ROOT, "%n%-34s %-20s %9s %9s %9s %9s%n", "layer", "type", "forward",
                "backward", "optimizer", "total ms"));
        layerRows().stream().limit(maxRows).forEach(r -> sb.append(String.format(Locale.ROOT,
                "%-34s %-20s %9.2f %9.2f %9.2f %9.2f%n", r.get("layer"), r.get("type"), (double) r.get("forward"),
                (double) r.get("backward"), (double) r.get("optimizer"), (double) r.get("total"))));
        return sb.toString();
    }

    private static double sum(Map<String, Double> byPhase) {
        return byPhase.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
