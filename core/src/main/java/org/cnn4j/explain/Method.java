package org.cnn4j.explain;

import java.util.Locale;

/** The explanation methods, by the names the command line uses. */
public enum Method {
    GRADCAM("gradcam"),
    GRADCAM_PLUS_PLUS("gradcam++"),
    SALIENCY("saliency"),
    INTEGRATED_GRADIENTS("integrated-gradients"),
    OCCLUSION("occlusion");

    private final String cliName;

    Method(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether the method explains a layer (its map has the layer's resolution). */
    public boolean usesLayer() {
        return this == GRADCAM || this == GRADCAM_PLUS_PLUS;
    }

    public static Method parse(String name) {
        for (Method m : values()) {
            if (m.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown explanation method '" + name + "'; expected gradcam, gradcam++,"
                + " saliency, integrated-gradients or occlusion");
    }
}
