package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ConvTransposeContract;

/** The transposed-convolution contract suite on the CPU backend. */
class CpuConvTransposeContractTest extends ConvTransposeContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
