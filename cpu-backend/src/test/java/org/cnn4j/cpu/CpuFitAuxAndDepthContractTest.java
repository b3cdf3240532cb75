package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.FitAuxAndDepthContract;

class CpuFitAuxAndDepthContractTest extends FitAuxAndDepthContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
