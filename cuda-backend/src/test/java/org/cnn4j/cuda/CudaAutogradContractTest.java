package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.AutogradContract;

/** The Autograd contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaAutogradContractTest extends AutogradContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
