/**
 * The {@code cnn} command: picocli subcommands that parse options, build what core needs (a
 * {@link org.cnn4j.train.TrainConfig}, datasets, a zoo model) and print results. Options shared by every
 * command come from one mixin ({@code CommonOptions}); failures are one line from {@code FailureHandler}, with
 * the stack trace only under {@code --verbose}. No training logic lives here.
 */
package org.cnn4j.cli;
