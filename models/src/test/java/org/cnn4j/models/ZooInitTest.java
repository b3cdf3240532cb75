package org.cnn4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.cpu.CpuBackend;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * torchvision's per-family initialisation, checked on one large tensor per rule: the sample standard deviation
 * (or bound) of n >= 9,000 draws is within 5% of the rule's (the sample std of n normal draws has a relative
 * spread of about 1/sqrt(2n) < 0.75%, so 5% is beyond 6 sigma).
 */
class ZooInitTest {
    private static final Backend CPU = new CpuBackend();

    private static double std(Tensor t) {
        float[] v = t.toFloatArray();
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        return Math.sqrt(sq / v.length);
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float x : t.toFloatArray()) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static void assertStd(double expected, Tensor t, String what) {
        assertTrue(t.numel() >= 9000, what + " is too small for the statistical check: " + t.numel());
        assertEquals(expected, std(t), 0.05 * expected, what + " std");
    }

    private static void assertZero(Tensor t, String what) {
        assertEquals(0.0, maxAbs(t), what + " is zero");
    }

    @Test
    void squeezenetKaimingUniformConvsAndSmallFinalConv() {
        try (Backends.Use use = Backends.use(CPU); Module m = ModelRegistry.create("squeezenet1_1")) {
            Map<String, Tensor> sd = m.stateDict();
            Tensor w = sd.get("features.3.expand3x3.weight"); // [64, 16, 3, 3]: kaiming_uniform, bound sqrt(6/fan_in)
            double bound = Math.sqrt(6.0 / (16 * 9));
            assertTrue(maxAbs(w) <= bound, "inside the bound");
            assertStd(bound / Math.sqrt(3), w, "expand3x3");
            assertStd(0.01, sd.get("classifier.1.weight"), "final conv");
            assertZero(sd.get("features.3.expand3x3.bias"), "conv bias");
        }
    }

    @Test
    void densenetAndRegnetAndShufflenet() {
        try (Backends.Use use = Backends.use(CPU)) {
            try (Module m = ModelRegistry.create("densenet121")) {
                Map<String, Tensor> sd = m.stateDict(); // kaiming_normal, fan_in: sqrt(2 / (128 * 9))
                assertStd(Math.sqrt(2.0 / (128 * 9)), sd.get("features.denseblock1.denselayer1.conv2.weight"),
                        "dense conv2");
                assertZero(sd.get("classifier.bias"), "classifier bias");
            }
            try (Module m = ModelRegistry.create("regnet_y_400mf")) {
                Map<String, Tensor> sd = m.stateDict(); // N(0, 2 / fan_out), fan_out = k * k * out (not / groups)
                assertStd(Math.sqrt(2.0 / (9 * 208)), sd.get("trunk_output.block3.block3-0.f.b.0.weight"),
                        "grouped 3x3");
                assertStd(0.01, sd.get("fc.weight"), "fc");
                assertZero(sd.get("fc.bias"), "fc bias");
            }
            try (Module m = ModelRegistry.create("shufflenet_v2_x0_5")) {
                // PyTorch's default: kaiming_uniform(a = sqrt 5), i.e. U(+-1/sqrt(fan_in)), std 1/sqrt(3 fan_in)
                assertStd(1 / Math.sqrt(3.0 * 96), m.stateDict().get("stage4.1.branch2.5.weight"), "1x1 conv");
            }
        }
    }

    @Test
    void mobileFamilies() {
        try (Backends.Use use = Backends.use(CPU)) {
            try (Module m = ModelRegistry.create("mobilenet_v2")) {
                Map<String, Tensor> sd = m.stateDict(); // kaiming_normal fan_out: sqrt(2 / (out * k * k))
                assertStd(Math.sqrt(2.0 / 960), sd.get("features.17.conv.0.0.weight"), "1x1 expansion [960, 160]");
                assertStd(0.01, sd.get("classifier.1.weight"), "classifier");
            }
            try (Module m = ModelRegistry.create("mnasnet0_5")) {
                // linear: kaiming_uniform(fan_out, sigmoid gain 1), bound sqrt(3 / 1000), std 1/sqrt(1000)
                assertStd(1 / Math.sqrt(1000), m.stateDict().get("classifier.1.weight"), "classifier");
                assertZero(m.stateDict().get("classifier.1.bias"), "classifier bias");
            }
            try (Module m = ModelRegistry.create("efficientnet_b0")) {
                Tensor fc = m.stateDict().get("classifier.1.weight"); // U(+-1/sqrt(out)), std 1/sqrt(3 * 1000)
                assertTrue(maxAbs(fc) <= 1 / Math.sqrt(1000), "inside the bound");
                assertStd(1 / Math.sqrt(3.0 * 1000), fc, "classifier");
            }
            try (Module m = ModelRegistry.create("convnext_tiny")) {
                Map<String, Tensor> sd = m.stateDict();
                assertStd(0.02, sd.get("features.1.0.block.3.weight"), "pointwise linear [384, 96]");
                assertZero(sd.get("features.1.0.block.3.bias"), "linear bias");
                assertEquals(1e-6, maxAbs(sd.get("features.5.8.layer_scale")), 1e-12, "layer scale");
            }
        }
    }

    @Test
    void inceptionTruncatedNormalsWithTheAuxFcQuirk() {
        try (Backends.Use use = Backends.use(CPU); Module m = ModelRegistry.create("inception_v3")) {
            Map<String, Tensor> sd = m.stateDict();
            assertStd(0.1, sd.get("Mixed_5b.branch5x5_2.conv.weight"), "5x5 conv");
            // torchvision sets stddev 0.01 on the AuxLogits.conv1 wrapper, which its init loop never reads
            assertStd(0.1, sd.get("AuxLogits.conv1.conv.weight"), "aux conv1");
            assertStd(0.001, sd.get("AuxLogits.fc.weight"), "aux fc");
            assertTrue(maxAbs(sd.get("fc.weight")) <= 2, "truncated to [-2, 2]");
        }
    }
}
