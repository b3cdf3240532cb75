package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.contract.SafetensorsContract;

class CpuSafetensorsTest extends SafetensorsContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackend();
    }
}
