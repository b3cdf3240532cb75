package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ActivationContract;

class CpuActivationContractTest extends ActivationContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
