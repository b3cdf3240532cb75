package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.DistributedFitContract;

/** The DistributedFit contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaDistributedFitContractTest extends DistributedFitContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
