package org.cnn4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cnn4j.tensor.Names;
import org.cnn4j.tensor.Shape;
import org.cnn4j.tensor.Tensor;

/**
 * Base of the optimizers: parameter groups, learning rates, and per-parameter state tensors that can be saved
 * and restored exactly. State tensors are named {@code state.<index>.<name>} where index is the parameter's
 * position across all groups (as PyTorch's optimizer state_dict); scalars (step counts, learning rates) travel in
 * {@link #stateMetadata()}. State tensors are owned by the optimizer and freed by {@link #close()}.
 */
public abstract class Optimizer implements AutoCloseable {
    private final List<ParamGroup> groups;
    private final List<Tensor> flat = new ArrayList<>();
    private final List<Map<String, Tensor>> state = new ArrayList<>();
    private final long[] steps;

    protected Optimizer(List<ParamGroup> groups, double defaultLr, double defaultWeightDecay) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected at least one parameter");
        }
        this.groups = List.copyOf(groups);
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : this.groups) {
            g.applyDefaults(defaultLr, defaultWeightDecay);
            for (Tensor p : g.params()) {
                if (!seen.add(p)) {
                    throw new IllegalArgumentException(getClass().getSimpleName()
                            + ": a parameter appears more than once (shape " + p.shape() + ")");
                }
                flat.add(p);
                state.add(new LinkedHashMap<>());
            }
        }
        this.steps = new long[flat.size()];
    }

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        int index = 0;
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                if (p.grad() != null) {
                    steps[index]++;
                    update(p, p.grad(), state.get(index), steps[index], g);
                }
                index++;
            }
        }
    }

    /**
     * Updates one parameter in place. {@code state} holds this parameter's state tensors (create them with
     * {@link #stateTensor}); {@code step} counts this parameter's updates from 1.
     */
    protected abstract void update(Tensor param, Tensor grad, Map<String, Tensor> state, long step, ParamGroup g);

    /** The state tensor {@code name} of one parameter, created zero-filled (and owned here) on first use. */
    protected static Tensor stateTensor(Map<String, Tensor> state, String name, Tensor param) {
        return state.computeIfAbsent(name, n -> Tensor.zeros(param.backend(), param.shape()).persist());
    }

    /** Frees the gradients of all parameters. */
    public void zeroGrad() {
        for (Tensor p : flat) {
            p.zeroGrad();
        }
    }

    public List<ParamGroup> paramGroups() {
        return groups;
    }

    /** The first group's learning rate. */
    public double getLr() {
        return groups.get(0).lr();
    }

    public double getLr(int group) {
        return groups.get(group).lr();
    }

    /** Sets the learning rate of every group. */
    public void setLr(double lr) {
        for (ParamGroup g : groups) {
            g.setLr(lr);
        }
    }

    public void setLr(int group, double lr) {
        groups.get(group).setLr(lr);
    }

    /** Short name stored in the metadata and checked on load ("SGD", "Adam", "AdamW"). */
    public abstract String name();

    /** The live state tensors under {@code state.<paramIndex>.<name>} keys (not copies). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < state.size(); i++) {
            for (Map.Entry<String, Tensor> e : state.get(i).entrySet()) {
                out.put("state." + i + "." + e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Optimizer type, per-group learning rates and per-parameter step counts, as strings. */
    public Map<String, String> stateMetadata() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("optimizer", name());
        out.put("param_count", Integer.toString(flat.size()));
        for (int g = 0; g < groups.size(); g++) {
            out.put("group." + g + ".lr", Double.toString(groups.get(g).lr()));
        }
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] != 0) {
                out.put("state." + i + ".step", Long.toString(steps[i]));
            }
        }
        return out;
    }

    /**
     * Restores state saved by {@link #stateDict()} / {@link #stateMetadata()} from an optimizer of the same type
     * over parameters of the same shapes; tensors may come from another backend. Fails, changing nothing, when
     * the type, parameter count, group count or a shape differs.
     */
    public void loadStateDict(Map<String, Tensor> tensors, Map<String, String> metadata) {
        String what = name() + ".loadStateDict";
        if (!name().equals(metadata.get("optimizer"))) {
            throw new IllegalArgumentException(what + ": state was saved by optimizer "
                    + Names.quote(metadata.get("optimizer")) + ", expected '" + name() + "'");
        }
        if (!Integer.toString(flat.size()).equals(metadata.get("param_count"))) {
            throw new IllegalArgumentException(what + ": state is for " + Names.quote(metadata.get("param_count"))
                    + " parameters, this optimizer has " + flat.size());
        }
        double[] lrs = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            lrs[g] = number(what, metadata, "group." + g + ".lr");
            if (!(lrs[g] >= 0) || Double.isInfinite(lrs[g])) {
                throw new IllegalArgumentException(what + ": group " + g + " learning rate " + lrs[g]
                        + " in the metadata is not a finite number >= 0");
            }
        }
        long[] loadedSteps = new long[flat.size()];
        for (int i = 0; i < flat.size(); i++) {
            String key = "state." + i + ".step";
            loadedSteps[i] = metadata.containsKey(key) ? (long) number(what, metadata, key) : 0;
            if (loadedSteps[i] < 0) {
                throw new IllegalArgumentException(what + ": " + key + " is negative in the metadata");
            }
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            int index = paramIndex(what, e.getKey());
            Shape want = flat.get(index).shape();
            if (!e.getValue().shape().equals(want)) {
                throw new IllegalArgumentException(what + ": " + Names.quote(e.getKey()) + " has shape "
                        + e.getValue().shape() + ", parameter " + index + " has shape " + want);
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).setLr(lrs[g]);
        }
        for (int i = 0; i < flat.size(); i++) {
            state.get(i).values().forEach(Tensor::close);
            state.get(i).clear();
            steps[i] = loadedSteps[i];
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            int index = paramIndex(what, e.getKey());
            String name = e.getKey().substring(e.getKey().indexOf('.', "state.".length()) + 1);
            Tensor p = flat.get(index);
            Tensor copy = Tensor.empty(p.backend(), p.shape()).persist();
            copy.copyFrom(e.getValue());
            state.get(index).put(name, copy);
        }
    }

    /** A number of the metadata; a missing or malformed one is a one-line error naming the key. */
    private static double number(String what, Map<String, String> metadata, String key) {
        String text = metadata.get(key);
        if (text == null) {
            throw new IllegalArgumentException(what + ": no " + key + " in the metadata");
        }
        try {
            return key.endsWith(".step") ? Long.parseLong(text.trim()) : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": " + key + " in the metadata is " + Names.quote(text)
                    + ", not a number");
        }
    }

    private int paramIndex(String what, String key) {
        int dot = key.indexOf('.', "state.".length());
        if (!key.startsWith("state.") || dot < 0) {
            throw new IllegalArgumentException(what + ": unexpected key " + Names.quote(key)
                    + ", expected state.<index>.<name>");
        }
        int index;
        try {
            index = Integer.parseInt(key.substring("state.".length(), dot));
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(what + ": unexpected key " + Names.quote(key)
                    + ", expected state.<index>.<name>");
        }
        if (index < 0 || index >= flat.size()) {
            throw new IllegalArgumentException(what + ": key " + Names.quote(key) + " names parameter " + index
                    + " but there are " + flat.size());
        }
        return index;
    }


    /** Frees every state tensor (the parameters belong to their module). */
    @Override
    public void close() {
        for (Map<String, Tensor> s : state) {
            s.values().forEach(Tensor::close);
            s.clear();
        }
    }
}
