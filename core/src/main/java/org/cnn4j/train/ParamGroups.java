package org.cnn4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cnn4j.nn.Module;
import org.cnn4j.optim.ParamGroup;
import org.cnn4j.tensor.Names;
import org.cnn4j.tensor.Tensor;

/**
 * Applies a config's freezing to a model and splits what still trains into optimizer groups: the backbone, and
 * the head (under {@link TrainConfig#headPrefix()}) as a group of its own when its learning rate is a multiple of
 * the others'. Frozen parameters are left out of the optimizer, as PyTorch users do with
 * {@code filter(lambda p: p.requires_grad, ...)}.
 */
record ParamGroups(List<ParamGroup> groups, double[] scales) {

    static ParamGroups of(Module model, TrainConfig config) {
        Map<String, Tensor> params = model.namedParameters();
        String head = config.headPrefix();
        if (config.freezeBackbone()) {
            model.freezePrefix("");
            model.setRequiresGrad(head, true);
        }
        for (String prefix : config.freeze()) {
            if (params.keySet().stream().noneMatch(k -> k.startsWith(prefix))) {
                throw new IllegalArgumentException("freeze prefix " + Names.quote(prefix) + " matches no parameter;"
                        + " the model's parameters start with " + Names.list(topLevel(params.keySet())));
            }
            model.freezePrefix(prefix);
        }
        Map<String, Tensor> trainable = new LinkedHashMap<>();
        params.forEach((k, t) -> {
            if (t.requiresGrad()) {
                trainable.put(k, t);
            }
        });
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("every parameter is frozen: nothing would train");
        }
        if (config.headLrMult() == 1) {
            return new ParamGroups(List.of(ParamGroup.of(new ArrayList<>(trainable.values()))), new double[] {1});
        }
        List<Tensor> backbone = new ArrayList<>();
        List<Tensor> headParams = new ArrayList<>();
        trainable.forEach((k, t) -> (k.startsWith(head) ? headParams : backbone).add(t));
        if (headParams.isEmpty()) {
            throw new IllegalArgumentException("head prefix " + Names.quote(head) + " matches no trainable parameter");
        }
        if (backbone.isEmpty()) {
            return new ParamGroups(List.of(ParamGroup.of(headParams)), new double[] {config.headLrMult()});
        }
        return new ParamGroups(List.of(ParamGroup.of(backbone), ParamGroup.of(headParams)),
                new double[] {1, config.headLrMult()});
    }

    /** The distinct first name components, e.g. conv1, bn1, layer1, fc. */
    private static List<String> topLevel(Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String first = n.contains(".") ? n.substring(0, n.indexOf('.')) : n;
            if (!out.contains(first)) {
                out.add(first);
            }
        }
        return out;
    }
}
