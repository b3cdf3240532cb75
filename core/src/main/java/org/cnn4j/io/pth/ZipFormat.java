package org.cnn4j.io.pth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.cnn4j.tensor.DType;

/**
 * The zip format of {@code torch.save} (PyTorch 1.6 and later): one top-level folder (named {@code archive} since
 * PyTorch 2.0, after the file before) holding {@code data.pkl} (the object, whose storages are persistent ids
 * {@code ('storage', torch.<T>Storage, key, location, numel)}), each storage's raw little-endian bytes as
 * {@code data/<key>}, and optionally {@code byteorder} and {@code version}. Other entries are ignored.
 */
final class ZipFormat implements PthFile.Format {
    /** A storage is read into one Java array. */
    static final long MAX_STORAGE_BYTES = Integer.MAX_VALUE - 8;

    private final ZipDirectory zip;
    private final String prefix;
    private final Map<String, StorageRef> storages = new HashMap<>();
    private Object root;
    private String cachedKey;
    private byte[] cachedBytes;

    private ZipFormat(ZipDirectory zip, String prefix) {
        this.zip = zip;
        this.prefix = prefix;
    }

    /** Reads the directory and the object pickle; storages are checked against their entries as they are named. */
    static ZipFormat open(FileChannel channel) throws IOException {
        ZipDirectory zip = ZipDirectory.read(channel);
        ZipFormat format = new ZipFormat(zip, topFolder(zip));
        format.checkByteOrder();
        ZipDirectory.Entry pickle = format.entry("data.pkl");
        if (pickle == null) {
            throw new PthFormatException("zip archive has no " + format.prefix + "data.pkl (not a file written by"
                    + " torch.save?)");
        }
        byte[] bytes = zip.readEntry(pickle, PickleInput.MAX_PICKLE_BYTES);
        format.root = Unpickler.load(PickleInput.of(pickle.name(), bytes), format::persistentLoad);
        return format;
    }

    @Override
    public Object root() {
        return root;
    }

    /** The single folder every entry is in, with its trailing slash. */
    private static String topFolder(ZipDirectory zip) throws PthFormatException {
        String prefix = null;
        for (String name : zip.entries().keySet()) {
            int slash = name.indexOf('/');
            if (slash < 0) {
                throw new PthFormatException("zip entry '" + name + "' is not inside a top-level folder, as"
                        + " torch.save writes them");
            }
            String top = name.substring(0, slash + 1);
            if (prefix == null) {
                prefix = top;
            } else if (!prefix.equals(top)) {
                throw new PthFormatException("zip entries lie in more than one top-level folder ('" + prefix
                        + "', '" + top + "'); torch.save writes one");
            }
        }
        if (prefix == null) {
            throw new PthFormatException("zip archive is empty");
        }
        return prefix;
    }

    private ZipDirectory.Entry entry(String relative) {
        return zip.entries().get(prefix + relative);
    }

    private void checkByteOrder() throws IOException {
        ZipDirectory.Entry e = entry("byteorder");
        if (e != null) {
            String order = new String(zip.readEntry(e, 16), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new PthFormatException(e.name() + " says '" + order + "'; only little-endian storages are"
                        + " supported");
            }
        }
    }

    /** ('storage', storage type, key, location, numel): checked against the entry data/key before any read. */
    private Object persistentLoad(Object pid) throws PthFormatException {
        StorageRef ref = StorageRef.fromPersistentId(pid, 5, "('storage', type, key, location, numel)", storages);
        String key = ref.key();
        DType dtype = ref.dtype();
        long numel = ref.numel();
        ZipDirectory.Entry e = entry("data/" + key);
        if (e == null) {
            throw new PthFormatException(ref.describe() + " has no entry " + prefix + "data/" + key);
        }
        long bytes = numel > Long.MAX_VALUE / dtype.byteSize() ? Long.MAX_VALUE : numel * dtype.byteSize();
        if (e.size() < bytes) {
            throw new PthFormatException(ref.describe() + " needs " + bytes + " bytes but " + e.name() + " holds "
                    + e.size());
        }
        if (bytes > MAX_STORAGE_BYTES) {
            throw new PthFormatException(ref.describe() + " is " + bytes + " bytes; storages up to "
                    + MAX_STORAGE_BYTES + " bytes are supported");
        }
        return ref;
    }

    @Override
    public ByteBuffer read(StorageRef storage, long firstElement, long count) throws IOException {
        if (!storage.key().equals(cachedKey)) {
            cachedBytes = null; // let the previous storage go before reading the next
            cachedBytes = zip.readEntry(entry("data/" + storage.key()), MAX_STORAGE_BYTES);
            cachedKey = storage.key();
        }
        int es = storage.dtype().byteSize();
        return ByteBuffer.wrap(cachedBytes, (int) (firstElement * es), (int) (count * es)).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
    }
}
