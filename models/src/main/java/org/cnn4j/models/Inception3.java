package org.cnn4j.models;

import java.util.ArrayList;
import java.util.List;

import org.cnn4j.nn.AdaptiveAvgPool2d;
import org.cnn4j.nn.AuxiliaryOutputs;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.MaxPool2d;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * torchvision's Inception v3 (Szegedy et al. 2016) for 299x299 inputs: a conv stem, Inception A/B/C/D/E modules
 * (factorised 1x7/7x1 and 1x3/3x1 convs, grid reductions), and an auxiliary classifier after Mixed_6e that runs in
 * training mode only ({@link #forwardWithAux}). Keys {@code Conv2d_1a_3x3.conv.weight},
 * {@code Mixed_6b.branch7x7_2.bn.running_var}, {@code AuxLogits.fc.weight}; torchvision's init (weights truncated
 * N(0, 0.1^2) on [-2, 2], N(0, 0.001^2) for the auxiliary fc, biases keep PyTorch's default).
 */
public final class Inception3 extends Module implements AuxiliaryOutputs {
    /** The auxiliary loss's weight in the usual Inception v3 recipe. */
    static final double AUX_LOSS_WEIGHT = 0.4;
    private final boolean transformInput;
    private final BasicConv2d conv1a, conv2a, conv2b, conv3b, conv4a;
    private final MaxPool2d maxpool1, maxpool2;
    private final List<Module> mixed5to6 = new ArrayList<>();
    private final InceptionBlocks.Aux auxLogits;
    private final List<Module> mixed7 = new ArrayList<>();
    private final AdaptiveAvgPool2d avgpool;
    private final Dropout dropout;
    private final Linear fc;

    public Inception3(int numClasses, boolean auxLogits, boolean transformInput, float dropout) {
        this.transformInput = transformInput;
        conv1a = registerModule("Conv2d_1a_3x3", new BasicConv2d(3, 32, 3, 2, 0));
        conv2a = registerModule("Conv2d_2a_3x3", new BasicConv2d(32, 32, 3, 1, 0));
        conv2b = registerModule("Conv2d_2b_3x3", new BasicConv2d(32, 64, 3, 1, 1));
        maxpool1 = registerModule("maxpool1", new MaxPool2d(3, 2, 0));
        conv3b = registerModule("Conv2d_3b_1x1", new BasicConv2d(64, 80, 1, 1, 0));
        conv4a = registerModule("Conv2d_4a_3x3", new BasicConv2d(80, 192, 3, 1, 0));
        maxpool2 = registerModule("maxpool2", new MaxPool2d(3, 2, 0));
        mixed5to6.add(registerModule("Mixed_5b", new InceptionBlocks.A(192, 32)));
        mixed5to6.add(registerModule("Mixed_5c", new InceptionBlocks.A(256, 64)));
        mixed5to6.add(registerModule("Mixed_5d", new InceptionBlocks.A(288, 64)));
        mixed5to6.add(registerModule("Mixed_6a", new InceptionBlocks.B(288)));
        mixed5to6.add(registerModule("Mixed_6b", new InceptionBlocks.C(768, 128)));
        mixed5to6.add(registerModule("Mixed_6c", new InceptionBlocks.C(768, 160)));
        mixed5to6.add(registerModule("Mixed_6d", new InceptionBlocks.C(768, 160)));
        mixed5to6.add(registerModule("Mixed_6e", new InceptionBlocks.C(768, 192)));
        this.auxLogits = auxLogits ? registerModule("AuxLogits", new InceptionBlocks.Aux(768, numClasses)) : null;
        mixed7.add(registerModule("Mixed_7a", new InceptionBlocks.D(768)));
        mixed7.add(registerModule("Mixed_7b", new InceptionBlocks.E(1280)));
        mixed7.add(registerModule("Mixed_7c", new InceptionBlocks.E(2048)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        fc = registerModule("fc", new Linear(2048, numClasses));
        // torchvision reads a `stddev` attribute off each Conv2d/Linear: only AuxLogits.fc has one (0.001); the
        // 0.01 it sets on AuxLogits.conv1 sits on the BasicConv2d wrapper, which the loop never inspects
        Linear auxFc = auxLogits ? this.auxLogits.fc() : null;
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.truncNormal(c.weight(), 0, 0.1, -2, 2);
            } else if (m instanceof Linear l) {
                Init.truncNormal(l.weight(), 0, l == auxFc ? 0.001 : 0.1, -2, 2);
            }
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return run(x, false).main();
    }

    /** In training mode the AuxLogits head's logits, weighted 0.4. */
    @Override
    public Outputs forwardWithAux(Tensor x) {
        return run(x, isTraining() && auxLogits != null);
    }

    private Outputs run(Tensor x, boolean withAux) {
        if (transformInput) {
            x = TransformInput.apply(x);
        }
        x = maxpool1.call(conv2b.call(conv2a.call(conv1a.call(x))));
        x = maxpool2.call(conv4a.call(conv3b.call(x)));
        for (Module m : mixed5to6) {
            x = m.call(x);
        }
        Tensor aux = withAux ? auxLogits.call(x) : null;
        for (Module m : mixed7) {
            x = m.call(x);
        }
        x = fc.call(dropout.call(avgpool.call(x)).flatten(1));
        return new Outputs(x, withAux ? List.of(new Auxiliary(aux, AUX_LOSS_WEIGHT)) : List.of());
    }

    /** torchvision's {@code inception_v3()}: 1000 classes, the auxiliary head, no input transform. */
    public static Inception3 inception_v3(ModelOptions o) {
        if (o.inChannelsOr(3) != 3) {
            throw new IllegalArgumentException("inception_v3: only 3 input channels are supported, got "
                    + o.inChannels());
        }
        return new Inception3(o.numClassesOr(1000), true, false, 0.5f);
    }
}
