package org.cnn4j.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;
import org.cnn4j.cuda.CudaDiagnostics.Piece;
import org.cnn4j.cuda.CudaDiagnostics.Status;

/**
 * Finds out, once per JVM, whether the CUDA backend can run here, and if not, which piece is missing. Every
 * step runs inside {@code catch (Throwable)}: a JNI class whose static initialiser failed stays unusable for
 * the JVM's lifetime, so the first answer is final and cached by {@link CudaBackendProvider}. cuBLAS and cuDNN
 * are tried even when the driver is missing (their JNI libraries do not need it), so the report names every
 * missing piece at once; the reason given is the first one.
 */
final class CudaProbe {
    static final String HOW_DRIVER = "install the NVIDIA driver >= 525 (CUDA 12), or run the cnn4j Docker image"
            + " with `docker run --gpus all`";
    static final String HOW_CUBLAS = "install the CUDA 12 runtime libraries (e.g. `apt install libcublas-12-6`"
            + " from NVIDIA's CUDA repository, or the pip wheel nvidia-cublas-cu12 on LD_LIBRARY_PATH), or use the"
            + " cnn4j Docker image";
    static final String HOW_CUDNN = "install cuDNN 9 for CUDA 12 (`apt install libcudnn9-cuda-12` from NVIDIA's"
            + " CUDA repository), or use the cnn4j Docker image";
    static final String DRIVER = "NVIDIA driver (libcuda.so.1)";
    static final String DEVICES = "GPU devices";
    static final String CUBLAS = "cuBLAS (libcublas.so.12)";
    static final String CUDNN = "cuDNN (libcudnn.so.9)";

    private final List<Piece> pieces = new ArrayList<>();
    private String reason;
    private String deviceSummary = "";
    private int driverVersion;
    private long cudnnVersion;

    private CudaProbe() {
    }

    static CudaDiagnostics run() {
        return new CudaProbe().probe();
    }

    private CudaDiagnostics probe() {
        String platform = CudaNatives.platform();
        if (!platform.equals("linux-x86_64")) {
            fail("JCuda natives", Status.MISSING, "the bundled JCuda natives are for linux-x86_64; this machine is "
                    + platform);
            return CudaDiagnostics.unavailable(reason, pieces);
        }
        try {
            for (String lib : new String[] {"JCudaDriver", "JCublas2", "JCudnn"}) {
                CudaNatives.extract(lib);
            }
        } catch (Throwable e) {
            fail("JCuda natives", Status.FAILED, "JCuda native extraction failed: " + e.getMessage()
                    + "; set -Dcnn4j.cuda.nativeDir (or CNN4J_CUDA_NATIVE_DIR) to a writable directory");
            return CudaDiagnostics.unavailable(reason, pieces);
        }
        pieces.add(new Piece("JCuda natives", Status.OK, "JCuda " + CudaNatives.jcudaVersion() + " (" + platform
                + "), extracted to " + CudaNatives.nativeDir()));
        if (driver()) {
            devices();
        } else {
            pieces.add(new Piece(DEVICES, Status.NOT_CHECKED, "needs the driver"));
        }
        cublas();
        cudnn();
        if (reason != null) {
            return CudaDiagnostics.unavailable(reason, pieces);
        }
        return new CudaDiagnostics(true, "", deviceSummary + ", driver CUDA " + version(driverVersion) + ", cuDNN "
                + cudnnVersion + ", JCuda " + CudaNatives.jcudaVersion(), pieces);
    }

    /** Records a failed piece; {@code why} becomes the reason when no earlier piece failed. */
    private void fail(String piece, Status status, String why) {
        fail(piece, status, why, "");
    }

    /** As above, with more detail for the report that the one-line reason leaves out. */
    private void fail(String piece, Status status, String why, String more) {
        pieces.add(new Piece(piece, status, why + more));
        if (reason == null) {
            reason = why;
        }
    }

    private boolean driver() {
        try {
            CudaNatives.loadWith(() -> JCudaDriver.setExceptionsEnabled(false), "JCudaDriver");
        } catch (Throwable t) {
            fail(DRIVER, Status.MISSING, explainLoadFailure("JCudaDriver", t), searched("libcuda.so.1"));
            return false;
        }
        String at = " (" + where("libcuda.so.1") + ")";
        int r = JCudaDriver.cuInit(0);
        int[] value = new int[1];
        JCudaDriver.cuDriverGetVersion(value);
        driverVersion = value[0];
        String kernel = SharedLibraries.kernelDriverVersion();
        String version = (kernel.isEmpty() ? "" : "driver " + kernel + ", ") + "supports CUDA " + version(driverVersion);
        if (r == CUresult.CUDA_ERROR_NO_DEVICE) {
            pieces.add(new Piece(DRIVER, Status.OK, version + at));
            fail(DEVICES, Status.MISSING, "no CUDA device: the NVIDIA driver is installed but reports no GPU"
                    + " (check nvidia-smi, and `--gpus all` when running in Docker)");
            return false;
        }
        if (r == CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH || r == CUresult.CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE) {
            fail(DRIVER, Status.FAILED, "the NVIDIA driver is too old for CUDA 12 (cuInit: " + CUresult.stringFor(r)
                    + "); " + HOW_DRIVER + at);
            return false;
        }
        if (r != CUresult.CUDA_SUCCESS) {
            fail(DRIVER, Status.FAILED, "cuInit failed: " + CUresult.stringFor(r) + " (code " + r + "); " + HOW_DRIVER
                    + at);
            return false;
        }
        if (driverVersion < 12000) {
            fail(DRIVER, Status.FAILED, "the NVIDIA driver supports CUDA " + version(driverVersion)
                    + " but CUDA 12 is needed; " + HOW_DRIVER + at);
            return false;
        }
        pieces.add(new Piece(DRIVER, Status.OK, version + at));
        return true;
    }

    private void devices() {
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        if (count[0] == 0) {
            fail(DEVICES, Status.MISSING, "no CUDA device: cuDeviceGetCount returned 0 (check nvidia-smi)");
            return;
        }
        List<String> described = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            CUdevice dev = new CUdevice();
            JCudaDriver.cuDeviceGet(dev, i);
            byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, dev);
            String deviceName = new String(name, java.nio.charset.StandardCharsets.US_ASCII).replace("\0", "").trim();
            int[] major = new int[1];
            int[] minor = new int[1];
            JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
            JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
            long[] bytes = new long[1];
            JCudaDriver.cuDeviceTotalMem(bytes, dev);
            described.add(String.format(Locale.ROOT, "%d: %s, compute capability %d.%d, %.1f GiB", i, deviceName,
                    major[0], minor[0], bytes[0] / (double) (1L << 30)));
            if (i == 0) {
                deviceSummary = deviceName + ", " + count[0] + " device(s)";
            }
        }
        pieces.add(new Piece(DEVICES, Status.OK, String.join("; ", described)));
    }

    private void cublas() {
        try {
            CudaNatives.loadWith(() -> JCublas2.setExceptionsEnabled(false), "JCublas2");
        } catch (Throwable t) {
            fail(CUBLAS, Status.MISSING, explainLoadFailure("JCublas2", t), searched("libcublas.so.12"));
            return;
        }
        String at = where("libcublas.so.12");
        boolean shim = SharedLibraries.isCublasShim(SharedLibraries.loadedPath("libcublas.so.12"));
        String real = SharedLibraries.loadedPath("libcublas.so.13");
        String via = shim ? " (the cnn4j cuBLAS test shim, forwarding to " + (real == null ? "libcublas.so.13, not loaded"
                : real) + ")" : "";
        int[] v = new int[3];
        for (int i = 0; i < 3; i++) {
            int[] one = new int[1];
            int status = JCublas2.cublasGetProperty(i, one);  // MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL
            if (status != 0) {
                fail(CUBLAS, Status.FAILED, "cuBLAS loaded from " + at + via + " but does not answer (cublasGetProperty:"
                        + " status " + status + (shim ? "; the shim could not load libcublas.so.13, see its stderr line"
                        : "") + "); " + HOW_CUBLAS);
                return;
            }
            v[i] = one[0];
        }
        pieces.add(new Piece(CUBLAS, Status.OK, "version " + v[0] + "." + v[1] + "." + v[2] + ", " + at + via));
    }

    private void cudnn() {
        try {
            CudaNatives.loadWith(() -> JCudnn.setExceptionsEnabled(false), "JCudnn");
            cudnnVersion = JCudnn.cudnnGetVersion();
        } catch (Throwable t) {
            fail(CUDNN, Status.MISSING, explainLoadFailure("JCudnn", t), searched("libcudnn.so.9"));
            return;
        }
        String at = where("libcudnn.so.9");
        long cudart = JCudnn.cudnnGetCudartVersion();
        String version = cudnnVersion / 10000 + "." + cudnnVersion % 10000 / 100 + "." + cudnnVersion % 100
                + " (built for CUDA " + version((int) cudart) + "), " + at;
        if (cudnnVersion < 90000) {
            fail(CUDNN, Status.FAILED, "cuDNN " + cudnnVersion + " found but cuDNN 9 (libcudnn.so.9) is needed; "
                    + HOW_CUDNN + " (" + at + ")");
            return;
        }
        pieces.add(new Piece(CUDNN, Status.OK, version));
    }

    private static String where(String soname) {
        String path = SharedLibraries.loadedPath(soname);
        return path == null ? "loaded, path unknown" : path;
    }

    /** Where the loader could have found {@code soname}, appended to a "not found" reason. */
    private static String searched(String soname) {
        List<String> files = SharedLibraries.candidates(soname);
        if (!files.isEmpty()) {
            return " (present at " + String.join(", ", files) + " but did not load)";
        }
        String ld = System.getenv("LD_LIBRARY_PATH");
        return " (searched LD_LIBRARY_PATH " + (ld == null || ld.isBlank() ? "(unset)" : ld)
                + ", the ldconfig cache and " + String.join(", ", SharedLibraries.USUAL_DIRS) + ")";
    }

    /** Names the missing piece behind a failed JNI load; pure, so it is tested with fabricated errors. */
    static String explainLoadFailure(String jniLibrary, Throwable t) {
        String msg = String.valueOf(t.getMessage());
        if (msg.contains("libcuda.so")) {
            return "no NVIDIA driver: libcuda.so.1 not found; " + HOW_DRIVER;
        }
        if (msg.contains("libcublas.so.12") || msg.contains("libcublasLt.so.12")) {
            return "libcublas.so.12 not found (cuBLAS from CUDA 12); " + HOW_CUBLAS;
        }
        if (msg.contains("libcudnn.so.9")) {
            return "libcudnn.so.9 not found (cuDNN 9); " + HOW_CUDNN;
        }
        if (msg.contains("libcudnn")) {
            return "cuDNN failed to load (" + firstLine(msg) + "); " + HOW_CUDNN;
        }
        return "JCuda native library " + jniLibrary + " failed to load: " + t.getClass().getSimpleName() + ": "
                + firstLine(msg);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String version(int cudaVersion) {
        return cudaVersion / 1000 + "." + (cudaVersion % 1000) / 10;
    }
}
