package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.LossContract;

class CpuLossContractTest extends LossContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
