package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.LossContract;

/** The Loss contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaLossContractTest extends LossContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
