package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.NormContract;

/** The Norm contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaNormContractTest extends NormContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
