package org.cnn4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cnn4j.backend.BackendProvider;
import org.cnn4j.backend.BackendUnavailableException;
import org.cnn4j.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaBackendProviderTest {

    @Test
    void isRegisteredWithServiceLoaderAboveCpu() {
        List<BackendProvider> providers = Backends.providers();
        BackendProvider cuda = providers.stream().filter(p -> p.name().equals("cuda")).findFirst().orElseThrow();
        assertEquals(100, cuda.priority());
        assertEquals("cuda", providers.get(0).name(), "highest priority first");
    }

    @Test
    void probeNeverThrowsAndIsCached() {
        CudaBackendProvider provider = new CudaBackendProvider();
        boolean first = provider.isAvailable();
        assertEquals(first, new CudaBackendProvider().isAvailable());
        assertTrue(CudaBackendProvider.probe() == CudaBackendProvider.probe(), "the probe runs once per JVM");
        if (first) {
            assertEquals("", provider.unavailableReason());
        } else {
            String reason = provider.unavailableReason();
            System.out.println("CUDA provider on this machine: unavailable: " + reason);
            assertTrue(reason.matches("(?s).*(libcuda\\.so\\.1|no CUDA device|libcublas\\.so\\.12|libcudnn\\.so\\.9"
                    + "|too old|extraction failed|linux-x86_64).*"), "reason names the missing piece: " + reason);
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, provider::create);
            assertTrue(e.getMessage().contains(reason));
        }
    }

    @Test
    void explainsEachMissingLibrary() {
        assertTrue(CudaProbe.explainLoadFailure("JCudaDriver", new UnsatisfiedLinkError(
                "/x/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file"))
                .startsWith("no NVIDIA driver: libcuda.so.1 not found; install the NVIDIA driver >= 525"));
        String cublas = CudaProbe.explainLoadFailure("JCublas2", new UnsatisfiedLinkError(
                "Error while loading native library \"JCublas2-12.6.0-linux-x86_64\"\n libcublas.so.12: cannot open"));
        assertTrue(cublas.startsWith("libcublas.so.12 not found") && cublas.contains("CUDA 12"), cublas);
        String cudnn = CudaProbe.explainLoadFailure("JCudnn", new UnsatisfiedLinkError(
                "libcudnn.so.9: cannot open shared object file: No such file or directory"));
        assertTrue(cudnn.startsWith("libcudnn.so.9 not found") && cudnn.contains("apt install libcudnn9-cuda-12"),
                cudnn);
        String other = CudaProbe.explainLoadFailure("JCudnn", new NoClassDefFoundError("jcuda/jcudnn/JCudnn"));
        assertTrue(other.contains("JCudnn") && other.contains("NoClassDefFoundError"), other);
        assertFalse(other.contains("\n"));
    }

    @TempDir
    static Path fakes;
    private static boolean built;

    /** Built once for the two fake-driver tests (gcc; a few seconds). */
    private static Path fakeLibraries() throws Exception {
        String why = FakeCudaLibraries.unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "fake-driver test skipped: " + why);
        if (!built) {
            FakeCudaLibraries.build(fakes);
            built = true;
        }
        return fakes;
    }

    @Test
    void probeFindsEveryPieceThroughTheRealJniLibrariesAndTheShim() throws Exception {
        FakeCudaLibraries.Child child = FakeCudaLibraries.run(fakeLibraries(), ProbeMain.class, Map.of());
        String out = child.output();
        assertEquals(0, child.exitCode(), out);
        assertTrue(out.contains("available=true"), out);
        assertTrue(out.contains("description=" + FakeCudaLibraries.DEVICE_NAME + ", 1 device(s), driver CUDA 12.4"),
                out);
        assertTrue(out.matches("(?s).*piece OK GPU devices: 0: cnn4j fake GPU, compute capability 9\\.0, 80\\.0 GiB.*"),
                out);
        assertTrue(out.matches("(?s).*piece OK cuBLAS \\(libcublas\\.so\\.12\\): version 13\\.0\\.2, \\S*/shim/"
                + "libcublas\\.so\\.12 \\(the cnn4j cuBLAS test shim, forwarding to \\S*/libcublas\\.so\\.13\\).*"), out);
        assertTrue(out.matches("(?s).*piece OK cuDNN \\(libcudnn\\.so\\.9\\): 9\\.5\\.1 \\(built for CUDA 12\\.4\\), "
                + "\\S*/libcudnn\\.so\\.9.*"), out);
    }

    @Test
    void theShimWithoutLibcublas13FailsSoftlyAndTheProbeSaysSo() throws Exception {
        FakeCudaLibraries.Child child = FakeCudaLibraries.run(fakeLibraries(), ProbeMain.class,
                Map.of("CUBLAS_SHIM_TARGET", "/nonexistent/libcublas.so.13"));
        String out = child.output();
        assertEquals(0, child.exitCode(), "the JVM survives: " + out);
        assertTrue(out.contains("cublas-shim: cannot load /nonexistent/libcublas.so.13"), out);
        assertTrue(out.contains("available=false"), out);
        assertTrue(out.matches("(?s).*reason=cuBLAS loaded from \\S*/shim/libcublas\\.so\\.12 \\(the cnn4j cuBLAS test"
                + " shim, forwarding to libcublas\\.so\\.13, not loaded\\) but does not answer \\(cublasGetProperty: status"
                + " 1; the shim could not load libcublas\\.so\\.13.*"), out);
        assertTrue(out.contains("piece OK cuDNN"), "the other pieces are still probed: " + out);
    }

    @Test
    void extractsNativesIntoThePrivateDirectoryAndRepairsStaleFiles() throws Exception {
        java.nio.file.Path lib = CudaNatives.extract("JNvrtc");
        assertEquals(CudaNatives.nativeDir(), lib.getParent());
        byte[] good = java.nio.file.Files.readAllBytes(lib);
        java.nio.file.Files.write(lib, new byte[] {1, 2, 3});
        java.nio.file.Path again = CudaNatives.extract("JNvrtc");
        assertTrue(java.util.Arrays.equals(good, java.nio.file.Files.readAllBytes(again)), "stale file replaced");
    }
}
