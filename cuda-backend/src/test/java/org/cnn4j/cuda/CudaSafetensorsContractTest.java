package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.SafetensorsContract;

/** The Safetensors contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaSafetensorsContractTest extends SafetensorsContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
