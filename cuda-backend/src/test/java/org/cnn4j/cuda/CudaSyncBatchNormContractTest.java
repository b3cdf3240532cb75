package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.SyncBatchNormContract;

/** The SyncBatchNorm contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaSyncBatchNormContractTest extends SyncBatchNormContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
