package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.GemmContract;

/** The Gemm contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaGemmContractTest extends GemmContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
