package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ModuleContract;

/** The Module contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaModuleContractTest extends ModuleContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
