package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ChannelOpsContract;

/** The ChannelOps contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaChannelOpsContractTest extends ChannelOpsContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
