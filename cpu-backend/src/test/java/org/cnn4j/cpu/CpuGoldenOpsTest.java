package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.GoldenOpsContract;

class CpuGoldenOpsTest extends GoldenOpsContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
