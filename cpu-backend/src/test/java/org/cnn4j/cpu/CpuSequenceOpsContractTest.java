package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.SequenceOpsContract;

/** The 1-D and embedding contract suite on the CPU backend. */
class CpuSequenceOpsContractTest extends SequenceOpsContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
