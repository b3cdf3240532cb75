package org.cnn4j.cuda;

import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;

/**
 * Finds out, once per JVM, whether the CUDA backend can run here, and if not, which piece is missing. Every
 * step runs inside {@code catch (Throwable)}: a JNI class whose static initialiser failed stays unusable for
 * the JVM's lifetime, so the first answer is final and cached by {@link CudaBackendProvider}.
 */
final class CudaProbe {
    static final String HOW_DRIVER = "install the NVIDIA driver >= 525 (CUDA 12), or run the cnn4j Docker image"
            + " with `docker run --gpus all`";
    static final String HOW_CUBLAS = "install the CUDA 12 runtime libraries (e.g. `apt install libcublas-12-6`"
            + " from NVIDIA's CUDA repository, or the pip wheel nvidia-cublas-cu12 on LD_LIBRARY_PATH), or use the"
            + " cnn4j Docker image";
    static final String HOW_CUDNN = "install cuDNN 9 for CUDA 12 (`apt install libcudnn9-cuda-12` from NVIDIA's"
            + " CUDA repository), or use the cnn4j Docker image";

    /** The outcome: available, or the reason it is not. */
    record Result(boolean available, String reason, String description) {
        static Result unavailable(String reason) {
            return new Result(false, reason, "");
        }
    }

    private CudaProbe() {
    }

    static Result run() {
        String platform = CudaNatives.platform();
        if (!platform.equals("linux-x86_64")) {
            return Result.unavailable("the bundled JCuda natives are for linux-x86_64; this machine is " + platform);
        }
        try {
            CudaNatives.loadWith(() -> JCudaDriver.setExceptionsEnabled(false), "JCudaDriver");
        } catch (java.io.IOException e) {
            return Result.unavailable("JCuda native extraction failed: " + e.getMessage()
                    + "; set -Dcnn4j.cuda.nativeDir (or CNN4J_CUDA_NATIVE_DIR) to a writable directory");
        } catch (Throwable t) {
            return Result.unavailable(explainLoadFailure("JCudaDriver", t));
        }
        int[] value = new int[1];
        int r = JCudaDriver.cuInit(0);
        if (r == CUresult.CUDA_ERROR_NO_DEVICE) {
            return Result.unavailable("no CUDA device: the NVIDIA driver is installed but reports no GPU"
                    + " (check nvidia-smi, and `--gpus all` when running in Docker)");
        }
        if (r == CUresult.CUDA_ERROR_SYSTEM_DRIVER_MISMATCH || r == CUresult.CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE) {
            return Result.unavailable("the NVIDIA driver is too old for CUDA 12 (cuInit: " + CUresult.stringFor(r)
                    + "); " + HOW_DRIVER);
        }
        if (r != CUresult.CUDA_SUCCESS) {
            return Result.unavailable("cuInit failed: " + CUresult.stringFor(r) + " (code " + r + "); " + HOW_DRIVER);
        }
        JCudaDriver.cuDriverGetVersion(value);
        int driverVersion = value[0];
        if (driverVersion < 12000) {
            return Result.unavailable("the NVIDIA driver supports CUDA " + version(driverVersion)
                    + " but CUDA 12 is needed; " + HOW_DRIVER);
        }
        JCudaDriver.cuDeviceGetCount(value);
        if (value[0] == 0) {
            return Result.unavailable("no CUDA device: cuDeviceGetCount returned 0 (check nvidia-smi)");
        }
        try {
            CudaNatives.loadWith(() -> JCublas2.setExceptionsEnabled(false), "JCublas2");
        } catch (Throwable t) {
            return Result.unavailable(explainLoadFailure("JCublas2", t));
        }
        long cudnnVersion;
        try {
            CudaNatives.loadWith(() -> JCudnn.setExceptionsEnabled(false), "JCudnn");
            cudnnVersion = JCudnn.cudnnGetVersion();
        } catch (Throwable t) {
            return Result.unavailable(explainLoadFailure("JCudnn", t));
        }
        if (cudnnVersion < 90000) {
            return Result.unavailable("cuDNN " + cudnnVersion + " found but cuDNN 9 (libcudnn.so.9) is needed; "
                    + HOW_CUDNN);
        }
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, 0);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, dev);
        String deviceName = new String(name, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
        return new Result(true, "", deviceName + ", " + value[0] + " device(s), driver CUDA "
                + version(driverVersion) + ", cuDNN " + cudnnVersion + ", JCuda " + CudaNatives.jcudaVersion());
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
