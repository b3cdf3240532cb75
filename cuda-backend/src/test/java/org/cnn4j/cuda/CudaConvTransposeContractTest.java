package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ConvTransposeContract;

/** The ConvTranspose contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaConvTransposeContractTest extends ConvTransposeContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
