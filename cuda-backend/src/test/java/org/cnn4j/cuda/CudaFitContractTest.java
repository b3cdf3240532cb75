package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.FitContract;

/** The Fit contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaFitContractTest extends FitContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
