package org.cnn4j.cli;

import org.cnn4j.train.Fit;

/**
 * While a run is in progress, Ctrl-C (or a kill other than -9) prints where the run was and how to continue it,
 * after the step log has been written out: the JVM's shutdown hook runs on SIGINT and SIGTERM.
 */
final class InterruptNote implements AutoCloseable {
    private final Thread hook;

    private InterruptNote(Thread hook) {
        this.hook = hook;
    }

    static InterruptNote install(Fit fit) {
        Thread hook = new Thread(() -> {
            System.err.println("cnn train: " + fit.interrupted());
            System.err.flush();
        }, "cnn-train-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return new InterruptNote(hook);
    }

    /** The run ended by itself: no message at exit. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs, which is what an interrupt wants
        }
    }
}
