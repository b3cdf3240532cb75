package org.cnn4j.io.pth;

import java.util.LinkedHashMap;
import java.util.Map;

import org.cnn4j.tensor.DType;

/**
 * The only globals a pickle may name, in one list. Each is interpreted here as data; none runs code. Any other
 * global ({@code posix.system}, {@code builtins.eval}, {@code torch.load}, a model class, ...) is rejected by
 * name when the pickle mentions it, before anything could call it.
 *
 * <p>Why each is needed: {@code OrderedDict} is what {@code state_dict()} returns; {@code _rebuild_tensor_v2} is
 * how every tensor has been pickled since PyTorch 0.4, and {@code _rebuild_tensor} how it was before (older
 * legacy-format files, such as early torchvision weights); {@code _rebuild_parameter} is how an {@code
 * nn.Parameter} is pickled ({@code state_dict(keep_vars=True)}, dicts of parameters built by hand). The storage
 * classes only say which element type a persistent id's storage holds. Deliberately absent:
 * {@code torch.storage._load_from_bytes} (it runs {@code torch.load} on embedded bytes), {@code
 * torch.storage.UntypedStorage} (torch writes it only for bare storages, never for a tensor's data), and anything
 * that builds objects of other classes ({@code torch.Size}, {@code torch.device}, {@code argparse.Namespace}).
 */
enum AllowedGlobal {
    ORDERED_DICT("collections", "OrderedDict", null),
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2", null),
    REBUILD_TENSOR("torch._utils", "_rebuild_tensor", null),
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter", null),
    FLOAT_STORAGE("torch", "FloatStorage", DType.FLOAT32),
    HALF_STORAGE("torch", "HalfStorage", DType.FLOAT16),
    BFLOAT16_STORAGE("torch", "BFloat16Storage", DType.BFLOAT16),
    DOUBLE_STORAGE("torch", "DoubleStorage", DType.FLOAT64),
    LONG_STORAGE("torch", "LongStorage", DType.INT64),
    INT_STORAGE("torch", "IntStorage", DType.INT32),
    BYTE_STORAGE("torch", "ByteStorage", DType.UINT8);

    private static final Map<String, AllowedGlobal> BY_NAME = new LinkedHashMap<>();

    static {
        for (AllowedGlobal g : values()) {
            BY_NAME.put(g.qualifiedName(), g);
        }
    }

    private final String module;
    private final String name;
    private final DType storageType;

    AllowedGlobal(String module, String name, DType storageType) {
        this.module = module;
        this.name = name;
        this.storageType = storageType;
    }

    String qualifiedName() {
        return module + "." + name;
    }

    /** The element type when this is a storage class; null otherwise. */
    DType storageType() {
        return storageType;
    }

    /** The allowed global of that name, or a rejection naming it. */
    static AllowedGlobal find(String module, String name) throws PthFormatException {
        AllowedGlobal g = BY_NAME.get(module + "." + name);
        if (g == null) {
            throw new PthFormatException("global '" + module + "." + name + "' is not allowed (a weights file may"
                    + " name only OrderedDict, torch's tensor-rebuilding functions and storage types; nothing in it"
                    + " is run)");
        }
        return g;
    }

    /** What REDUCE (or NEWOBJ) of this global with {@code args} yields, as data. */
    Object call(Tuple args) throws PthFormatException {
        return switch (this) {
            case ORDERED_DICT -> {
                if (args.size() != 0) {
                    throw new PthFormatException("collections.OrderedDict must be called with no arguments (its"
                            + " items follow as SETITEMS), got " + args.size());
                }
                yield new LinkedHashMap<Object, Object>();
            }
            case REBUILD_TENSOR_V2 -> rebuildTensor(args, 6, 7);
            case REBUILD_TENSOR -> rebuildTensor(args, 4, 4);
            case REBUILD_PARAMETER -> {
                arity(args, 3, 3);
                requireEmptyHooks(args.get(2));
                yield expect(args.get(0), TensorRef.class, "the parameter's data");
            }
            default -> throw new PthFormatException(qualifiedName() + " may only name a storage's type inside a"
                    + " persistent id; it cannot be called");
        };
    }

    /** (storage, storage_offset, size, stride[, requires_grad, backward_hooks[, metadata]]). */
    private TensorRef rebuildTensor(Tuple args, int min, int max) throws PthFormatException {
        arity(args, min, max);
        StorageRef storage = expect(args.get(0), StorageRef.class, "argument 1 (the storage)");
        long offset = integer(args.get(1), "argument 2 (the storage offset)");
        long[] size = integers(args.get(2), "argument 3 (the size)");
        long[] stride = integers(args.get(3), "argument 4 (the stride)");
        if (args.size() > 4) {
            expect(args.get(4), Boolean.class, "argument 5 (requires_grad)");
            requireEmptyHooks(args.get(5));
        }
        if (args.size() > 6 && args.get(6) != null && !(args.get(6) instanceof Map<?, ?> m && m.isEmpty())) {
            throw new PthFormatException(qualifiedName() + ": tensor metadata (argument 7) is not supported");
        }
        return TensorRef.of(storage, offset, size, stride);
    }

    /** Backward hooks are functions; a weights file has none (torch itself warns they are not saved). */
    private void requireEmptyHooks(Object hooks) throws PthFormatException {
        if (!(hooks instanceof Map<?, ?> m) || !m.isEmpty()) {
            throw new PthFormatException(qualifiedName() + ": backward_hooks must be an empty OrderedDict, got "
                    + PickleValues.describe(hooks));
        }
    }

    private void arity(Tuple args, int min, int max) throws PthFormatException {
        if (args.size() < min || args.size() > max) {
            throw new PthFormatException(qualifiedName() + " takes " + (min == max ? min : min + " to " + max)
                    + " arguments, got " + args.size());
        }
    }

    private <T> T expect(Object value, Class<T> type, String what) throws PthFormatException {
        if (!type.isInstance(value)) {
            throw new PthFormatException(qualifiedName() + ": " + what + " must be a "
                    + PickleValues.typeName(type) + ", got " + PickleValues.describe(value));
        }
        return type.cast(value);
    }

    private long integer(Object value, String what) throws PthFormatException {
        return expect(value, Long.class, what);
    }

    private long[] integers(Object value, String what) throws PthFormatException {
        Tuple t = expect(value, Tuple.class, what);
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(t.get(i), what + " item " + i);
        }
        return out;
    }
}
