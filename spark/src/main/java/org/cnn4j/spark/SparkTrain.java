package org.cnn4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.cnn4j.cli.TrainWorker;
import org.cnn4j.distributed.RingEnvironment;

/**
 * {@code cnn train} as a Spark job: one barrier task per rank, each running {@code cnn train} with the given options
 * as its rank of the ring ({@code --batch-size} is the global batch). {@code --out} and {@code --data} must be on
 * storage every executor sees. When the folder already holds a checkpoint and no {@code --resume} is given (Spark
 * retrying the barrier stage after a lost task, or the job submitted again), every rank resumes from it.
 * <pre>
 * spark-submit --class org.cnn4j.spark.SparkTrain cnn4j-spark.jar 4 --data /shared/fmnist --out /shared/runs/a ...
 * </pre>
 */
public final class SparkTrain {
    private SparkTrain() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: SparkTrain RANKS [cnn train options]");
            System.exit(2);
        }
        int ranks = Integer.parseInt(args[0]);
        List<String> options = List.of(args).subList(1, args.length);
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("cnn4j train"))) {
            List<Integer> codes = train(sc, ranks, Duration.ofMinutes(5), options);
            System.exit(codes.stream().allMatch(c -> c == 0) ? 0 : 1);
        }
    }

    /** Runs the ranks and returns their exit codes in rank order; a rank that fails fails its task (and the stage). */
    public static List<Integer> train(JavaSparkContext sc, int ranks, Duration timeout, List<String> options) {
        ArrayList<String> args = new ArrayList<>(options);
        return SparkDataParallel.runJoiningThemselves(sc, ranks, timeout, ring -> trainRank(ring, args));
    }

    /**
     * One barrier task's work: {@code cnn train} as {@code ring}'s rank, resuming from the run folder's checkpoint
     * when there is one; throws (failing the task, and so the stage) when it does not exit 0.
     */
    static int trainRank(RingEnvironment ring, List<String> options) {
        int code = TrainWorker.train(ring, resumeIfCheckpointed(options));
        if (code != 0) {
            throw new IllegalStateException("rank " + ring.rank() + ": cnn train exited with " + code);
        }
        return code;
    }

    /** The options, plus {@code --resume <out>/last.safetensors} when that checkpoint exists and none was given. */
    static List<String> resumeIfCheckpointed(List<String> options) {
        int out = options.indexOf("--out");
        if (options.contains("--resume") || out < 0 || out + 1 >= options.size()) {
            return options;
        }
        Path last = Path.of(options.get(out + 1), "last.safetensors");
        if (!Files.exists(last)) {
            return options;
        }
        List<String> withResume = new ArrayList<>(options);
        withResume.add("--resume");
        withResume.add(last.toString());
        return withResume;
    }
}
