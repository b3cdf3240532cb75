package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ConvContract;

/** The Conv contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaConvContractTest extends ConvContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
