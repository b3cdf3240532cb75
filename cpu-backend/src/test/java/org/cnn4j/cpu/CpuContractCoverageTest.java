package org.cnn4j.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.cnn4j.contract.ConvContract;
import org.cnn4j.contract.OptimizerContract;
import org.cnn4j.contract.TrainingContract;
import org.cnn4j.testing.ContractCoverage;
import org.junit.jupiter.api.Test;

/** Every contract class of core's test-jar runs on the CPU backend: a new one without a Cpu subclass fails here. */
class CpuContractCoverageTest {

    @Test
    void everyContractClassHasACpuSubclass() {
        List<Class<?>> contracts = ContractCoverage.contracts();
        assertTrue(contracts.containsAll(List.of(ConvContract.class, OptimizerContract.class,
                TrainingContract.class)), "the scan finds the contract classes: " + contracts);
        List<Class<?>> here = ContractCoverage.classesBeside(CpuContractCoverageTest.class);
        assertTrue(here.contains(CpuConvContractTest.class), "the scan finds this module's tests");
        assertEquals(List.of(), ContractCoverage.missing(contracts, here),
                "contract classes without a subclass in cpu-backend (add a Cpu<Name>Test extending each)");
    }

    @Test
    void aContractWithoutASubclassIsReported() {
        List<Class<?>> contracts = List.of(ConvContract.class, OptimizerContract.class);
        assertEquals(List.of("OptimizerContract"),
                ContractCoverage.missing(contracts, List.of(CpuConvContractTest.class, CpuBackend.class)));
        assertEquals(List.of("ConvContract", "OptimizerContract"), ContractCoverage.missing(contracts, List.of()));
    }
}
