package org.cnn4j.backend;

/**
 * One Adam/AdamW step's hyper-parameters. {@code decoupled} selects AdamW's weight decay
 * ({@code p *= 1 - lr*wd}) instead of Adam's L2 term ({@code g += wd*p}); {@code step} counts from 1.
 */
public record AdamParams(float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled,
                         long step) {
}
