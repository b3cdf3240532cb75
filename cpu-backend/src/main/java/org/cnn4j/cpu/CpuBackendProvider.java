package org.cnn4j.cpu;

import org.cnn4j.backend.Backend;
import org.cnn4j.backend.BackendProvider;

/** The pure-Java backend: always available, lowest priority under "auto". */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String unavailableReason() {
        return "";
    }

    @Override
    public Backend create() {
        return new CpuBackend();
    }
}
