package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.FitStepsContract;

class CpuFitStepsContractTest extends FitStepsContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
