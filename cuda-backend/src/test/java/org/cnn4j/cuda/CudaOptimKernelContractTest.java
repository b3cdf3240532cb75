package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.OptimKernelContract;

/** The OptimKernel contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaOptimKernelContractTest extends OptimKernelContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
