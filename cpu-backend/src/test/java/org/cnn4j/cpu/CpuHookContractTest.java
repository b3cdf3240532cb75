package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.HookContract;

/** The hook and retain-grad contract suite on the CPU backend. */
class CpuHookContractTest extends HookContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
