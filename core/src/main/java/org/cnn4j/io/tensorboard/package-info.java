/**
 * TensorBoard event files: TFRecord framing with masked CRC-32C ({@link org.cnn4j.io.tensorboard.TfRecords}), Event
 * and Summary messages from a schema of our own written with protobuf-java, the
 * {@link org.cnn4j.io.tensorboard.SummaryWriter} (scalars, images, histograms), and the
 * {@link org.cnn4j.io.tensorboard.TensorBoardListener} that a training run reports to.
 */
package org.cnn4j.io.tensorboard;
