package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.FitAuxAndDepthContract;

/** The FitAuxAndDepth contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaFitAuxAndDepthContractTest extends FitAuxAndDepthContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
