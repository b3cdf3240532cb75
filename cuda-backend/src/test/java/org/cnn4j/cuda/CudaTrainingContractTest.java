package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.TrainingContract;

/** The Training contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaTrainingContractTest extends TrainingContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
