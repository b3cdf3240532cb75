package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.FitStateContract;

class CpuFitStateContractTest extends FitStateContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
