package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ActivationContract;

/** The Activation contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaActivationContractTest extends ActivationContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
