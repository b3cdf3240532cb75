package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;

import org.cnn4j.backend.BackendProvider;
import org.junit.jupiter.api.Test;

/** The CPU provider as ServiceLoader finds it: named "cpu", always available, creating a backend named "cpu". */
class CpuBackendProviderTest {
    @Test
    void serviceLoaderFindsAnAvailableCpuProvider() {
        BackendProvider cpu = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof CpuBackendProvider).findFirst().orElseThrow();
        assertEquals("cpu", cpu.name());
        assertTrue(cpu.isAvailable());
        assertEquals("", cpu.unavailableReason());
        assertEquals("cpu", assertInstanceOf(CpuBackend.class, cpu.create()).name());
    }
}
