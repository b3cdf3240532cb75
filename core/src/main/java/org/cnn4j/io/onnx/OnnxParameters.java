package org.cnn4j.io.onnx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cnn4j.backend.Backend;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * Registers an imported graph's float initializers on the model so that {@code stateDict()} keys are the ONNX
 * names: {@code layer1.0.conv1.weight} becomes parameter {@code weight} of child {@code conv1} of child {@code 0}
 * of child {@code layer1}. A name that cannot be split that way (an empty segment, or a prefix that is itself a
 * tensor) is registered on the root with its dots replaced by underscores.
 */
final class OnnxParameters {
    private OnnxParameters() {
    }

    /** Reads one registered tensor afresh (parameters are replaced by {@code to(backend)} or {@code setParameter}). */
    record Slot(Holder owner, String local, boolean buffer) {
        Tensor get() {
            return buffer ? owner.buffer(local) : owner.parameter(local);
        }
    }

    /** A module that only holds tensors and children, one per name segment. */
    abstract static class Holder extends Module {
        private final Map<String, Holder> kids = new LinkedHashMap<>();

        Holder kid(String name) {
            return kids.computeIfAbsent(name, k -> registerModule(k, new Tensors()));
        }

        boolean has(String name) {
            return kids.containsKey(name) || namedParameters().containsKey(name) || namedBuffers().containsKey(name);
        }

        void add(String name, Tensor t, boolean buffer) {
            if (buffer) {
                registerBuffer(name, t);
            } else {
                registerParameter(name, t);
            }
        }

    }

    /** An inner node of the name tree. */
    static final class Tensors extends Holder {
        @Override
        public Tensor forward(Tensor x) {
            throw new UnsupportedOperationException("a container of imported ONNX tensors has no forward");
        }

        @Override
        public String typeName() {
            return "OnnxTensors";
        }
    }

    static Map<String, Slot> register(Holder top, List<OnnxDefs.TensorDef> tensors, Set<String> buffers,
                                      Backend backend) {
        Map<String, Slot> slots = new LinkedHashMap<>();
        for (OnnxDefs.TensorDef t : tensors) {
            Tensor value = Tensor.of(backend, t.floats(), OnnxOps.shapeOf(t.dims()));
            boolean buffer = buffers.contains(t.name());
            String[] parts = t.name().split("\\.", -1);
            Holder owner = top;
            boolean nested = parts.length > 1;
            for (int i = 0; i < parts.length - 1 && nested; i++) {
                boolean clash = parts[i].isEmpty() || (owner.has(parts[i]) && !owner.kids.containsKey(parts[i]));
                nested = !clash;
                if (nested) {
                    owner = owner.kid(parts[i]);
                }
            }
            String local = parts[parts.length - 1];
            if (!nested || local.isEmpty() || owner.has(local)) {
                owner = top;
                local = t.name().replace('.', '_');
                while (top.has(local)) {
                    local = local + "_";
                }
            }
            owner.add(local, value, buffer);
            slots.put(t.name(), new Slot(owner, local, buffer));
        }
        return slots;
    }
}
