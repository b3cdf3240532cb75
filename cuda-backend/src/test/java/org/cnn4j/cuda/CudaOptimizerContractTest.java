package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.OptimizerContract;

/** The Optimizer contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaOptimizerContractTest extends OptimizerContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
