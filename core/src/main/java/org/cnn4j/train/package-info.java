/**
 * Training runs. {@link org.cnn4j.train.Fit} owns a run from start to end (epochs, evaluation, the monitored
 * best checkpoint, early stopping, schedules, checkpoints and resume, the output folder) behind a typed
 * {@link org.cnn4j.train.TrainConfig}; {@code cnn train} is a thin caller of it. {@link org.cnn4j.train.Evaluator}
 * measures a model on its own; {@link org.cnn4j.train.TrainListener} sees every event and
 * {@link org.cnn4j.train.GradientHook} sits between backward and the optimizer step (gradient averaging, loss
 * scaling). Metrics count a NaN prediction as wrong; NaN losses and gradients never reach the weights.
 */
package org.cnn4j.train;
