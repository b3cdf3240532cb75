package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ShapeOpsContract;

class CpuShapeOpsContractTest extends ShapeOpsContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
