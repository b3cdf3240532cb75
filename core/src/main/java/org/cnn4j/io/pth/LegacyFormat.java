package org.cnn4j.io.pth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * The format of {@code torch.save} before PyTorch 1.6 (and with {@code _use_new_zipfile_serialization=False}):
 * five pickles in a row (torch's magic number, the protocol version 1001, system info, the object, the sorted
 * list of storage keys), then each listed storage as an 8-byte little-endian element count followed by its raw
 * elements. Persistent ids are {@code ('storage', torch.<T>Storage, root key, location, numel, view)} where view
 * is None or (view key, offset, size) into the root storage. All storages are located, and their counts checked,
 * before any tensor data is read.
 */
final class LegacyFormat implements PthFile.Format {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    static final long PROTOCOL_VERSION = 1001;

    private final FileChannel channel;
    private final Map<String, StorageRef> roots = new LinkedHashMap<>();
    private final Map<String, Long> dataStart = new HashMap<>();
    private Object root;

    private LegacyFormat(FileChannel channel) {
        this.channel = channel;
    }

    static LegacyFormat open(FileChannel channel) throws IOException {
        LegacyFormat f = new LegacyFormat(channel);
        PickleInput magic = PickleInput.of("the magic-number pickle", channel, 0);
        if (!MAGIC.equals(Unpickler.load(magic, null))) {
            throw new PthFormatException("the first pickle is not torch's magic number (not a file written by"
                    + " torch.save)");
        }
        PickleInput protocol = PickleInput.of("the protocol-version pickle", channel, magic.position());
        Object version = Unpickler.load(protocol, null);
        if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
            throw new PthFormatException("legacy protocol version " + PickleValues.describe(version)
                    + " is not supported (expected " + PROTOCOL_VERSION + ")");
        }
        PickleInput sysInfo = PickleInput.of("the system-info pickle", channel, protocol.position());
        checkSysInfo(Unpickler.load(sysInfo, null));
        PickleInput object = PickleInput.of("the object pickle", channel, sysInfo.position());
        f.root = Unpickler.load(object, f::persistentLoad);
        PickleInput keys = PickleInput.of("the storage-key pickle", channel, object.position());
        Object keyList = Unpickler.load(keys, null);
        f.locateStorages(keyList, keys.position());
        return f;
    }

    @Override
    public Object root() {
        return root;
    }

    private static void checkSysInfo(Object info) throws PthFormatException {
        if (!(info instanceof Map<?, ?> m) || !(m.get("little_endian") instanceof Boolean little)) {
            throw new PthFormatException("the system-info pickle is not a dict with 'little_endian'");
        }
        if (!little) {
            throw new PthFormatException("the file was saved on a big-endian machine; only little-endian storages"
                    + " are supported");
        }
    }

    /** ('storage', type, root key, location, numel, view metadata or None). */
    private Object persistentLoad(Object pid) throws PthFormatException {
        if (pid instanceof Tuple t && t.size() > 0 && "module".equals(t.get(0))) {
            throw new PthFormatException("the file holds a pickled model class, not weights (save"
                    + " model.state_dict() instead of the model)");
        }
        StorageRef rootRef = StorageRef.fromPersistentId(pid, 6, "('storage', type, key, location, numel, view)",
                roots);
        long numel = rootRef.numel();
        Object view = ((Tuple) pid).get(5);
        if (view == null) {
            return rootRef;
        }
        if (!(view instanceof Tuple v) || v.size() != 3 || !(v.get(1) instanceof Long offset)
                || !(v.get(2) instanceof Long size) || offset < 0 || size < 0 || offset > numel - size) {
            throw new PthFormatException("storage view " + PickleValues.describe(view) + " of " + rootRef.describe()
                    + " is not (key, offset, size) inside it");
        }
        return new StorageRef(rootRef.key(), rootRef.dtype(), size, offset);
    }

    /** Walks the storages after the key list: each count must match its persistent id, all data inside the file. */
    private void locateStorages(Object keyList, long position) throws IOException {
        if (!(keyList instanceof List<?> keys)) {
            throw new PthFormatException("the storage-key pickle is " + PickleValues.describe(keyList)
                    + ", not a list of keys");
        }
        long fileSize = channel.size();
        long at = position;
        Set<String> listed = new HashSet<>();
        for (Object k : keys) {
            String key = StorageRef.checkKey(k);
            StorageRef s = roots.get(key);
            if (s == null || !listed.add(key)) {
                throw new PthFormatException("storage key '" + key + "' is listed " + (s == null
                        ? "but no tensor uses it" : "twice"));
            }
            long bytes = s.numel() > (Long.MAX_VALUE >> 4) ? Long.MAX_VALUE : s.numel() * s.dtype().byteSize();
            if (at > fileSize - 8 || bytes > fileSize - at - 8) {
                throw new PthFormatException(s.describe() + " needs " + bytes + " bytes after its 8-byte count at"
                        + " byte " + at + ", past the end of the " + fileSize + "-byte file (truncated?)");
            }
            long count = ZipDirectory.read(channel, at, 8).getLong();
            if (count != s.numel()) {
                throw new PthFormatException(s.describe() + ": the data's count header says " + count
                        + " elements");
            }
            dataStart.put(key, at + 8);
            at += 8 + bytes;
        }
        for (StorageRef s : roots.values()) {
            if (!listed.contains(s.key())) {
                throw new PthFormatException(s.describe() + " is used by a tensor but missing from the storage"
                        + " list");
            }
        }
    }

    @Override
    public ByteBuffer read(StorageRef storage, long firstElement, long count) throws IOException {
        int es = storage.dtype().byteSize();
        return ZipDirectory.read(channel, dataStart.get(storage.key()) + firstElement * es, (int) (count * es));
    }
}
