package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.MemoryContract;

/** The Memory contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaMemoryContractTest extends MemoryContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
