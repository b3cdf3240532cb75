package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.FitContract;

class CpuFitContractTest extends FitContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
