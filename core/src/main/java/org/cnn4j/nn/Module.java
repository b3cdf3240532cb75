package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.cnn4j.backend.Backend;
import org.cnn4j.tensor.Tensor;

/**
 * A layer or model, like PyTorch's {@code nn.Module}: named parameters, buffers and child modules, whose
 * qualified names ({@code layer1.0.conv1.weight}) match PyTorch's {@code state_dict()} keys. A module owns its
 * parameters and buffers (they are {@linkplain Tensor#persist() persisted}, outside every memory scope) and
 * frees them on {@link #close()}.
 *
 * <p>Containers call their children with {@link #call(Tensor)} (PyTorch's {@code __call__}) so that forward
 * hooks see every layer.
 */
public abstract class Module implements AutoCloseable {

    /**
     * Observes each module's forward pass (e.g. to record per-layer output shapes). When no graph is recorded, a
     * {@link Sequential} frees each intermediate output once the next layer has run: copy what must outlive it.
     */
    @FunctionalInterface
    public interface ForwardHook {
        void after(Module module, Tensor input, Tensor output);

        /** Called before the module's forward (global hooks only), e.g. to time each layer. */
        default void before(Module module, Tensor input) {
        }
    }

    /** Removes a registered hook when closed (closing twice is harmless). */
    public interface HookHandle extends AutoCloseable {
        @Override
        void close();
    }

    private static final ThreadLocal<List<ForwardHook>> GLOBAL_HOOKS = ThreadLocal.withInitial(ArrayList::new);

    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> integerBuffers = new HashSet<>();
    private final List<ForwardHook> forwardHooks = new ArrayList<>();
    private boolean training = true;

    /** The layer's computation; call it through {@link #call(Tensor)} so hooks run. */
    public abstract Tensor forward(Tensor x);

    /**
     * Runs every global hook's {@code before}, {@link #forward}, then every global forward hook registered on this
     * thread, then this module's.
     */
    public final Tensor call(Tensor x) {
        List<ForwardHook> hooks = GLOBAL_HOOKS.get();
        if (!hooks.isEmpty()) {
            for (ForwardHook h : List.copyOf(hooks)) {
                h.before(this, x);
            }
        }
        Tensor y = forward(x);
        if (!hooks.isEmpty()) {
            for (ForwardHook h : List.copyOf(hooks)) {
                h.after(this, x, y);
            }
        }
        if (!forwardHooks.isEmpty()) {
            for (ForwardHook h : List.copyOf(forwardHooks)) {
                h.after(this, x, y);
            }
        }
        return y;
    }

    /**
     * Calls {@code hook} after each forward of this module (PyTorch's {@code register_forward_hook}), e.g. to keep
     * a layer's output and {@linkplain Tensor#retainGrad() its gradient}, until the handle is closed.
     */
    public HookHandle registerForwardHook(ForwardHook hook) {
        forwardHooks.add(hook);
        return () -> forwardHooks.remove(hook);
    }

    /** Registers a hook called after every module's forward on this thread, until the handle is closed. */
    public static AutoCloseable addGlobalForwardHook(ForwardHook hook) {
        List<ForwardHook> hooks = GLOBAL_HOOKS.get();
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    // ---- registration ----

    protected <M extends Module> M registerModule(String name, M child) {
        checkNewName("registerModule", name);
        if (child == null || child == this) {
            throw new IllegalArgumentException("registerModule('" + name + "'): expected a child module, got "
                    + (child == null ? "null" : "this module itself"));
        }
        children.put(name, child);
        return child;
    }

    /** Registers a trainable tensor: marks it requiresGrad and takes ownership (persists it). */
    protected Tensor registerParameter(String name, Tensor t) {
        checkNewName("registerParameter", name);
        parameters.put(name, t.persist().requiresGrad(true));
        return t;
    }

    /** Registers a non-trainable state tensor (e.g. running statistics) and takes ownership. */
    protected Tensor registerBuffer(String name, Tensor t) {
        checkNewName("registerBuffer", name);
        buffers.put(name, t.persist());
        return t;
    }

    /** Marks a registered buffer as integer-valued (saved as I64, like PyTorch's num_batches_tracked). */
    protected void markIntegerBuffer(String name) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException("markIntegerBuffer: no buffer '" + name + "' in " + typeName());
        }
        integerBuffers.add(name);
    }

    private void checkNewName(String op, String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(op + ": name must be non-empty and contain no '.', got '" + name + "'");
        }
        if (children.containsKey(name) || parameters.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException(op + ": '" + name + "' is already registered in " + typeName());
        }
    }

    // ---- access ----

    /** This module's own parameter {@code name}; fails if there is none. */
    public Tensor parameter(String name) {
        Tensor t = parameters.get(name);
        if (t == null) {
            throw new IllegalArgumentException(typeName() + " has no parameter '" + name + "'; it has "
                    + parameters.keySet());
        }
        return t;
    }

    /** This module's own parameter {@code name}, or null when it has none (an optional bias). */
    public Tensor parameterOrNull(String name) {
        return parameters.get(name);
    }

    /** Whether this module has its own parameter {@code name} (e.g. an optional bias). */
    public boolean hasParameter(String name) {
        return parameters.containsKey(name);
    }

    public Tensor buffer(String name) {
        Tensor t = buffers.get(name);
        if (t == null) {
            throw new IllegalArgumentException(typeName() + " has no buffer '" + name + "'; it has "
                    + buffers.keySet());
        }
        return t;
    }

    /**
     * Replaces parameter {@code name} with {@code t} (same shape), keeping its requiresGrad flag. The old tensor
     * is closed, so optimizers built over the old parameter must be rebuilt.
     */
    public void setParameter(String name, Tensor t) {
        Tensor old = parameter(name);
        if (!old.shape().equals(t.shape())) {
            throw new IllegalArgumentException("setParameter('" + name + "'): expected shape " + old.shape()
                    + ", got " + t.shape());
        }
        if (old != t) {
            parameters.put(name, t.persist().requiresGrad(old.requiresGrad()));
            old.close();
        }
    }

    public boolean isIntegerBuffer(String qualifiedName) {
        return integerBufferNames().contains(qualifiedName);
    }

    /** Qualified names of the buffers holding integers (saved as I64 in checkpoints). */
    public Set<String> integerBufferNames() {
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            for (String b : e.getValue().integerBuffers) {
                out.add(qualify(e.getKey(), b));
            }
        }
        return out;
    }

    // ---- mode ----

    /** Training mode for this module and all descendants (dropout active, batch statistics); returns this. */
    public Module train() {
        return train(true);
    }

    public Module train(boolean on) {
        for (Module m : namedModules().values()) {
            m.training = on;
        }
        return this;
    }

    /** Evaluation mode (dropout off, running statistics); returns this. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    // ---- traversal ----

    public LinkedHashMap<String, Module> namedChildren() {
        return new LinkedHashMap<>(children);
    }

    /** This module (name "") and every descendant, depth first, with qualified names. */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out);
        return out;
    }

    private static void collectModules(String prefix, Module m, LinkedHashMap<String, Module> out) {
        if (out.containsValue(m)) {
            return; // a module shared in two places is listed once, as in PyTorch
        }
        out.put(prefix, m);
        for (Map.Entry<String, Module> c : m.children.entrySet()) {
            collectModules(qualify(prefix, c.getKey()), c.getValue(), out);
        }
    }

    public LinkedHashMap<String, Tensor> namedParameters() {
        return collectTensors(m -> m.parameters);
    }

    public LinkedHashMap<String, Tensor> namedBuffers() {
        return collectTensors(m -> m.buffers);
    }

    private LinkedHashMap<String, Tensor> collectTensors(Function<Module, Map<String, Tensor>> own) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            for (Map.Entry<String, Tensor> t : own.apply(e.getValue()).entrySet()) {
                out.put(qualify(e.getKey(), t.getKey()), t.getValue());
            }
        }
        return out;
    }

    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) {
            n += t.numel();
        }
        return n;
    }

    static String qualify(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ---- state ----

    /**
     * Parameters and buffers under PyTorch's {@code state_dict()} keys and order (each module's parameters, then
     * its buffers, then its children's). The values are the live tensors, not copies.
     */
    public Map<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            Module m = e.getValue();
            m.parameters.forEach((n, t) -> out.put(qualify(e.getKey(), n), t));
            m.buffers.forEach((n, t) -> out.put(qualify(e.getKey(), n), t));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Strict load: every key must be present with the right shape, or nothing is loaded. */
    public void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true);
    }

    /**
     * Copies matching tensors into this module's parameters and buffers (the sources may live on another
     * backend). Strict: all missing keys, unexpected keys and shape mismatches are reported together in one
     * {@link StateDictException} and nothing is copied. Non-strict: loads what matches and reports the rest.
     */
    public LoadReport loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!src.shape().equals(e.getValue().shape())) {
                mismatched.add(e.getKey() + ": checkpoint " + src.shape() + " vs model " + e.getValue().shape());
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        LoadReport report = new LoadReport(missing, unexpected, mismatched);
        if (strict && !report.isClean()) {
            throw new StateDictException("loadStateDict into " + typeName() + ": " + report);
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && src.shape().equals(e.getValue().shape())) {
                e.getValue().copyFrom(src);
            }
        }
        return report;
    }


    // ---- training helpers ----

    /** Stops gradients for every parameter whose qualified name starts with {@code prefix} ("" = all). */
    public void freezePrefix(String prefix) {
        setRequiresGrad(prefix, false);
    }

    /** Sets requiresGrad for every parameter whose qualified name starts with {@code prefix}. */
    public void setRequiresGrad(String prefix, boolean requiresGrad) {
        for (Map.Entry<String, Tensor> e : namedParameters().entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                e.getValue().zeroGrad();
                e.getValue().requiresGrad(requiresGrad);
            }
        }
    }

    /** Frees every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor t : namedParameters().values()) {
            t.zeroGrad();
        }
    }

    /**
     * Moves all parameters and buffers to {@code target} (the old tensors are freed, so build optimizers after
     * moving); returns this.
     */
    public Module to(Backend target) {
        for (Module m : namedModules().values()) {
            for (Map.Entry<String, Tensor> e : m.parameters.entrySet()) {
                Tensor old = e.getValue();
                if (old.backend() != target) {
                    e.setValue(old.to(target).persist().requiresGrad(old.requiresGrad()));
                    old.close();
                }
            }
            for (Map.Entry<String, Tensor> e : m.buffers.entrySet()) {
                Tensor old = e.getValue();
                if (old.backend() != target) {
                    e.setValue(old.to(target).persist());
                    old.close();
                }
            }
        }
        return this;
    }

    /** Frees all parameters (and their gradients) and buffers of this module and its descendants. */
    @Override
    public void close() {
        for (Module m : namedModules().values()) {
            m.parameters.values().forEach(Tensor::close);
            m.buffers.values().forEach(Tensor::close);
        }
    }

    /** The simple class name, used in messages and summaries. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** One line describing the layer's configuration, PyTorch's {@code extra_repr}; empty by default. */
    public String extraRepr() {
        return "";
    }

    @Override
    public String toString() {
        return typeName() + "(" + extraRepr() + ")";
    }
}
