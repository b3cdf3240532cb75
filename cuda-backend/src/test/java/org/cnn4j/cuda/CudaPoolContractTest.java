package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.PoolContract;

/** The Pool contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaPoolContractTest extends PoolContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
