package org.cnn4j.cuda;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ShapeOpsContract;

/** The ShapeOps contract suite on the CUDA backend (skipped without a GPU). */
@RequiresCuda
class CudaShapeOpsContractTest extends ShapeOpsContract {
    @Override
    protected Backend createBackend() {
        return CudaTestSupport.backend();
    }
}
