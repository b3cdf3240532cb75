package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.FitStepsContract;

/** The FitSteps contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaFitStepsContractTest extends FitStepsContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
