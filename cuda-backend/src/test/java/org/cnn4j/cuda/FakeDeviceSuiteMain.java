package org.cnn4j.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Child-JVM entry for {@link FakeDeviceSuiteTest}: runs every test tagged "gpu" in {@code org.cnn4j.cuda} (on the
 * fake driver, whose device computes nothing) and prints one line per class,
 * {@code class <name> passed=P failed=F skipped=S}, then one {@code passed <class> <test>} line per passing test.
 * A failure of a class's setup counts as a failure of that class.
 */
public final class FakeDeviceSuiteMain {
    private FakeDeviceSuiteMain() {
    }

    public static void main(String[] args) {
        System.setProperty(CudaAvailableCondition.REQUIRED_PROPERTY, "true"); // a skip would hide a passing test
        System.setProperty("cnn4j.cuda.tf32", "false"); // as in the pom and the GPU bundle
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("org.cnn4j.cuda")).filters(TagFilter.includeTags("gpu")).build();
        Results results = new Results();
        LauncherFactory.create().execute(request, results);
        results.counts.forEach((cls, c) -> System.out.println("class " + cls + " passed=" + c[0] + " failed=" + c[1]
                + " skipped=" + c[2]));
        results.passed.forEach(test -> System.out.println("passed " + test));
        System.out.flush();
    }

    private static final class Results implements TestExecutionListener {
        final Map<String, int[]> counts = new TreeMap<>();
        final Set<String> passed = new TreeSet<>();

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            className(id).ifPresent(cls -> counts.computeIfAbsent(cls, k -> new int[3])[2]++);
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Optional<String> cls = className(id);
            if (cls.isEmpty()) {
                return;
            }
            boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
            if (id.isTest() || !ok) {
                counts.computeIfAbsent(cls.get(), k -> new int[3])[ok ? 0 : 1]++;
            }
            if (id.isTest() && ok) {
                passed.add(cls.get() + " " + id.getLegacyReportingName());
            }
        }

        private static Optional<String> className(TestIdentifier id) {
            Optional<TestSource> source = id.getSource();
            if (source.isPresent() && source.get() instanceof MethodSource) {
                return Optional.of(((MethodSource) source.get()).getClassName());
            }
            if (source.isPresent() && source.get() instanceof ClassSource) {
                return Optional.of(((ClassSource) source.get()).getClassName());
            }
            return Optional.empty();
        }
    }
}
