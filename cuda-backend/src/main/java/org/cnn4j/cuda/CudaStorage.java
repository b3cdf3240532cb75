package org.cnn4j.cuda;

import jcuda.driver.CUdeviceptr;
import org.cnn4j.tensor.Storage;

/** Device memory behind a tensor: a block of the backend's caching allocator, returned to it when freed. */
final class CudaStorage extends Storage {
    private final CachingAllocator.Block<CUdeviceptr> block;
    private final CachingAllocator<CUdeviceptr> allocator;

    CudaStorage(CachingAllocator.Block<CUdeviceptr> block, CachingAllocator<CUdeviceptr> allocator) {
        super(block.bytes);
        this.block = block;
        this.allocator = allocator;
    }

    CUdeviceptr pointer() {
        return block.pointer;
    }

    @Override
    protected void free() {
        allocator.release(block);
    }
}
