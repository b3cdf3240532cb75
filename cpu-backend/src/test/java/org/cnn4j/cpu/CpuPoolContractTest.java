package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.PoolContract;

/** The pool contract suite on the CPU backend. */
class CpuPoolContractTest extends PoolContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
