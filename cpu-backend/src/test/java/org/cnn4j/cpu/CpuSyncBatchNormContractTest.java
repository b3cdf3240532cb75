package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.SyncBatchNormContract;

class CpuSyncBatchNormContractTest extends SyncBatchNormContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
