package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.SequenceOpsContract;

/** The 1-D and embedding contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaSequenceOpsContractTest extends SequenceOpsContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
