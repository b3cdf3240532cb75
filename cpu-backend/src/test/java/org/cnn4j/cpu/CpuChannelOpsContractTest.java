package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ChannelOpsContract;

class CpuChannelOpsContractTest extends ChannelOpsContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
