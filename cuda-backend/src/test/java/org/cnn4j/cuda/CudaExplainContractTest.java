package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ExplainContract;

/** The explainability sanity checks on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaExplainContractTest extends ExplainContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
