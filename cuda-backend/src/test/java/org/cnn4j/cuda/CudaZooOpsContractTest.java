package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ZooOpsContract;

/** The ZooOps contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaZooOpsContractTest extends ZooOpsContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
