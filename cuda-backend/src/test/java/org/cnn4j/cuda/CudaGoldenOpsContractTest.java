package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.GoldenOpsContract;

/** The GoldenOps contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaGoldenOpsContractTest extends GoldenOpsContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
