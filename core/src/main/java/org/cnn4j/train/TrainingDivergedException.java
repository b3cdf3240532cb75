package org.cnn4j.train;

/** A run stopped because a step's loss or gradients were not finite (see {@link NonFinitePolicy#STOP}). */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
