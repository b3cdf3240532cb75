package org.cnn4j.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.cublasStatus;
import jcuda.jcudnn.JCudnn;

/**
 * Turns status codes into exceptions. JCuda's own exceptions stay disabled: JCudnn 11.7's Java enum predates
 * cuDNN 9's renumbered status codes, so cuDNN errors are named by {@code cudnnGetErrorString} instead.
 */
final class CudaErrors {
    private CudaErrors() {
    }

    static void check(int cuResult, String call) {
        if (cuResult != CUresult.CUDA_SUCCESS) {
            throw new CudaOperationException(call + " failed: " + driverError(cuResult));
        }
    }

    static String driverError(int cuResult) {
        String[] name = new String[1];
        String[] text = new String[1];
        if (JCudaDriver.cuGetErrorName(cuResult, name) == CUresult.CUDA_SUCCESS
                && JCudaDriver.cuGetErrorString(cuResult, text) == CUresult.CUDA_SUCCESS) {
            return name[0] + " (" + text[0] + ")";
        }
        return CUresult.stringFor(cuResult) + " (code " + cuResult + ")";
    }

    static void checkCublas(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaOperationException(call + " failed: " + cublasStatus.stringFor(status) + " (code " + status
                    + ")");
        }
    }

    static void checkCudnn(int status, String call) {
        if (status != 0) {
            throw new CudaOperationException(call + " failed: " + JCudnn.cudnnGetErrorString(status) + " (cuDNN status "
                    + status + ")");
        }
    }
}
