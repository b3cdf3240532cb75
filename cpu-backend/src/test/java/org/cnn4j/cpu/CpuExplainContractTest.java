package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.ExplainContract;

/** The explainability sanity checks on the CPU backend. */
class CpuExplainContractTest extends ExplainContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
