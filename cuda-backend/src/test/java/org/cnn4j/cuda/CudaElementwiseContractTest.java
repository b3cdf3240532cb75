package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ElementwiseContract;

/** The Elementwise contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaElementwiseContractTest extends ElementwiseContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
