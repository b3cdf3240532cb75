package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cnn4j.contract.OptimizerContract;
import org.cnn4j.contract.TrainingContract;
import org.cnn4j.testing.ContractCoverage;
import org.junit.jupiter.api.Test;

/**
 * Every contract class of core's test-jar runs on CUDA, each as a {@link RequiresCuda} class: a new contract
 * without a Cuda subclass fails here, on machines without a GPU too.
 */
class CudaContractCoverageTest {

    @Test
    void everyContractClassHasACudaSubclassThatNeedsAGpu() {
        List<Class<?>> contracts = ContractCoverage.contracts();
        assertTrue(contracts.containsAll(List.of(OptimizerContract.class, TrainingContract.class)),
                "the scan finds the contract classes: " + contracts);
        List<Class<?>> here = ContractCoverage.classesBeside(CudaContractCoverageTest.class);
        assertEquals(List.of(), ContractCoverage.missing(contracts, here),
                "contract classes without a subclass in cuda-backend (add a @RequiresCuda Cuda<Name>Test)");
        Map<Class<?>, List<Class<?>>> runners = ContractCoverage.implementations(contracts, here);
        List<String> unmarked = new ArrayList<>();
        runners.values().forEach(list -> list.stream().filter(c -> !c.isAnnotationPresent(RequiresCuda.class))
                .forEach(c -> unmarked.add(c.getSimpleName())));
        assertEquals(List.of(), unmarked, "contract tests not marked @RequiresCuda would fail without a GPU");
    }
}
