package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.DistributedContract;

/** The Distributed contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaDistributedContractTest extends DistributedContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
