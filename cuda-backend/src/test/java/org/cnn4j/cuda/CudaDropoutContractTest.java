package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.DropoutContract;

/** The Dropout contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaDropoutContractTest extends DropoutContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
