package org.cnn4j.train;

import java.nio.file.Path;
import java.util.List;

import org.cnn4j.nn.Module;

/**
 * What a run is about, given to listeners when it starts.
 *
 * @param outDir        the output folder, or null when the run writes no files
 * @param firstEpoch    the first epoch to run, 0-based (after a resume: the epochs already done)
 * @param history       the epochs done before this invocation (empty for a fresh run)
 * @param stepsPerEpoch batches per training epoch
 */
public record RunInfo(TrainConfig config, Module model, List<String> classNames, Path outDir, int firstEpoch,
                      List<EpochResult> history, int stepsPerEpoch, int testBatches) {
    public RunInfo {
        classNames = List.copyOf(classNames);
        history = List.copyOf(history);
    }
}
