/**
 * Optimizers over parameter groups ({@link org.cnn4j.optim.SGD}, {@link org.cnn4j.optim.Adam},
 * {@link org.cnn4j.optim.AdamW}) using the backend's fused update kernels, with state that saves and restores
 * exactly; learning-rate schedules as closed forms of the step ({@link org.cnn4j.optim.LrSchedule}) and
 * {@link org.cnn4j.optim.ReduceLROnPlateau}; gradient clipping. All match PyTorch, checked against its fixtures.
 */
package org.cnn4j.optim;
