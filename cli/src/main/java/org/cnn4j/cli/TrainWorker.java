package org.cnn4j.cli;

import java.util.ArrayList;
import java.util.List;

import org.cnn4j.distributed.RingEnvironment;

/**
 * Runs {@code cnn train} as one rank of a ring on the calling thread, for launchers that place the workers
 * themselves (a Spark barrier task): the same as a worker process started by {@code cnn train --nproc}, with the
 * ring given instead of read from the environment.
 */
public final class TrainWorker {
    private TrainWorker() {
    }

    /** Runs {@code cnn train <trainArgs>} as {@code ring}'s rank; returns the exit code (0 on success). */
    public static int train(RingEnvironment ring, List<String> trainArgs) {
        List<String> args = new ArrayList<>();
        args.add("train");
        args.addAll(trainArgs);
        DistributedTrain.GIVEN.set(ring);
        DistributedTrain.SETUP.lock();
        try {
            return Cnn.run(args.toArray(new String[0]));
        } finally {
            DistributedTrain.setupDone();
            DistributedTrain.GIVEN.remove();
        }
    }
}
