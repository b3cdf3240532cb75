package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.HookContract;

/** The hook and retain-grad contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaHookContractTest extends HookContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
