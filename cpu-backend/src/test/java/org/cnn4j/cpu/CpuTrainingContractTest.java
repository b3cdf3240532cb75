package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.TrainingContract;

class CpuTrainingContractTest extends TrainingContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
