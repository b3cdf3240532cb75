package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.FitStateContract;

/** The FitState contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaFitStateContractTest extends FitStateContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
