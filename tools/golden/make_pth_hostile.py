#!/usr/bin/env python3
"""Writes hostile .pth files that cnn4j must reject (cli/src/test/resources/org/cnn4j/cli/pth/hostile/), and
MANIFEST.tsv: file, a fragment the one-line error must contain, what the file does.

Files marked "runs code" would execute a command if loaded by Python's pickle: `touch cnn4j-pth-hostile.marker`
in the working directory. This script proves it: it loads each of them with torch.load (PyTorch 1.13's default,
unrestricted) in a scratch folder and fails unless the marker appears. The Java test (PthHostileFilesTest)
feeds every file to `cnn convert` and `cnn infer`, expects exit 1 and one line, and checks no marker appears.
The other files abuse the format (memo, stack, nesting, sizes, zip layout). Needs Debian's python3-torch.
Run from anywhere: python3 tools/golden/make_pth_hostile.py
"""
import collections
import io
import os
import pickle
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import torch

from pth_common import ZipEntry, zip_bytes

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "cli", "src", "test", "resources",
                   "org", "cnn4j", "cli", "pth", "hostile")
MARKER = "cnn4j-pth-hostile.marker"
COMMAND = "touch " + MARKER
MAGIC = 0x1950a86a20f9469cfc6c


class Call:
    """Pickles as a call of func(*args): what a malicious file does."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


class Storage:
    """Pickles as the persistent id torch writes for a storage."""

    def __init__(self, *pid):
        self.pid = pid


class Tensor:
    """Pickles as torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())."""

    def __init__(self, storage, offset, size, stride, hooks=None):
        self.args = (storage, offset, size, stride, False, hooks if hooks is not None else collections.OrderedDict())

    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, self.args


def dumps(obj, protocol=2):
    buf = io.BytesIO()
    p = pickle.Pickler(buf, protocol=protocol, fix_imports=False)  # Python 3 names (builtins, not __builtin__)
    p.persistent_id = lambda o: o.pid if isinstance(o, Storage) else None
    p.dump(obj)
    return buf.getvalue()


def text(s):
    """BINUNICODE: a str on the pickle stack."""
    b = s.encode("utf-8")
    return b"X" + struct.pack("<I", len(b)) + b


def f32(*values):
    return struct.pack("<%df" % len(values), *values)


def zip_pth(pickle_bytes, storages=(), folder="archive", deflate_pickle=False):
    entries = [ZipEntry(folder + "/data.pkl", pickle_bytes, deflate=deflate_pickle)]
    entries += [ZipEntry("%s/data/%s" % (folder, key), data) for key, data in storages]
    entries.append(ZipEntry(folder + "/version", b"3\n"))
    return zip_bytes(entries)


def legacy_pth(obj_pickle, keys=None, storages=b"", magic=None, sys_info=None):
    info = {"protocol_version": 1001, "little_endian": True, "type_sizes": {"short": 2, "int": 4, "long": 4}}
    return (magic if magic is not None else pickle.dumps(MAGIC, protocol=2)) + pickle.dumps(1001, protocol=2) \
        + (sys_info if sys_info is not None else pickle.dumps(info, protocol=2)) + obj_pickle \
        + (keys if keys is not None else pickle.dumps([], protocol=2)) + storages


def good_tensor(key="0", numel=4, size=(4,), stride=(1,), offset=0, storage_type=torch.FloatStorage):
    return Tensor(Storage("storage", storage_type, key, "cpu", numel), offset, size, stride)


def state_dict(**tensors):
    return collections.OrderedDict(tensors)


def overlapping_zip():
    """Entry data/0's stored bytes contain entry data/1's local header and data: the overlapping-file zip bomb."""
    inner_name = b"archive/data/1"
    inner = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 0, 0, 0, zlib.crc32(f32(1, 2, 3, 4)), 16, 16,
                        len(inner_name), 0) + inner_name + f32(1, 2, 3, 4)
    pkl = dumps(state_dict(a=good_tensor("0", numel=len(inner) // 4), b=good_tensor("1")))
    entries = [ZipEntry("archive/data.pkl", pkl), ZipEntry("archive/data/0", inner)]
    data = bytearray(zip_bytes(entries))
    # add a central entry for data/1 pointing inside data/0, then fix the end record
    cd_offset = struct.unpack("<I", data[-6:-2])[0]
    eocd = data[-22:]
    data = data[:-22]
    inner_offset = data.find(inner)
    data += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 0, 0, 0, zlib.crc32(f32(1, 2, 3, 4)), 16, 16,
                        len(inner_name), 0, 0, 0, 0, 0, inner_offset) + inner_name
    cd_size = len(data) - cd_offset
    data += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 3, 3, cd_size, cd_offset, 0)
    assert eocd[:4] == b"PK\x05\x06"
    return bytes(data)


def cases():
    """(file name, expected message fragment, runs code?, description, bytes)."""
    system = Call(os.system, COMMAND)
    out = []

    def add(name, fragment, runs, description, data):
        out.append((name, fragment, runs, description, data))

    add("01_zip_os_system.pth", "global 'posix.system' is not allowed", True,
        "os.system in a state_dict value", zip_pth(dumps(state_dict(w=system))))
    add("02_zip_builtins_eval.pth", "global 'builtins.eval' is not allowed", True, "builtins.eval of Python code",
        zip_pth(dumps({"w": Call(eval, "__import__('os').system('%s')" % COMMAND)})))
    add("03_zip_builtins_exec.pth", "global 'builtins.exec' is not allowed", True, "builtins.exec of Python code",
        zip_pth(dumps({"w": Call(exec, "import os; os.system('%s')" % COMMAND)})))
    add("04_zip_subprocess.pth", "global 'subprocess.check_call' is not allowed", True, "subprocess.check_call",
        zip_pth(dumps({"w": Call(subprocess.check_call, ["touch", MARKER])})))
    add("05_zip_stack_global_protocol4.pth", "global 'posix.system' is not allowed", True,
        "os.system named by STACK_GLOBAL (protocol 4)", zip_pth(dumps(state_dict(w=system), protocol=4)))
    add("06_zip_after_real_tensors.pth", "global 'posix.system' is not allowed", True,
        "os.system after two valid tensors", zip_pth(dumps(state_dict(a=good_tensor("0"), b=good_tensor("1"),
                                                                      c=system)),
                                                     [("0", f32(1, 2, 3, 4)), ("1", f32(5, 6, 7, 8))]))
    add("07_zip_backward_hooks.pth", "global 'posix.system' is not allowed", True,
        "os.system inside a tensor's backward_hooks argument",
        zip_pth(dumps(state_dict(w=Tensor(Storage("storage", torch.FloatStorage, "0", "cpu", 4), 0, (4,), (1,),
                                          collections.OrderedDict([(0, system)])))), [("0", f32(1, 2, 3, 4))]))
    inner = legacy_pth(dumps(state_dict(w=system)))
    add("08_zip_load_from_bytes.pth", "global 'torch.storage._load_from_bytes' is not allowed", True,
        "torch.storage._load_from_bytes: torch.load of embedded bytes that call os.system",
        zip_pth(dumps({"w": Call(torch.storage._load_from_bytes, inner)})))
    add("09_legacy_os_system.pth", "global 'posix.system' is not allowed", True,
        "legacy format, os.system in the object pickle", legacy_pth(dumps(state_dict(w=system))))
    add("10_legacy_payload_as_magic.pth", "global 'posix.system' is not allowed", True,
        "legacy format, os.system in place of the magic number", legacy_pth(dumps({}), magic=dumps(system)))
    add("11_legacy_payload_in_sys_info.pth", "global 'posix.system' is not allowed", True,
        "legacy format, os.system in the system-info pickle", legacy_pth(dumps({}), sys_info=dumps(system)))
    add("12_legacy_payload_in_storage_keys.pth", "global 'posix.system' is not allowed", True,
        "legacy format, os.system in the storage-key pickle", legacy_pth(dumps({}), keys=dumps([system])))
    add("13_zip_inst_opcode.pth", "opcode INST", True, "INST opcode calling os.system (protocol 0 style)",
        zip_pth(b"\x80\x02(" + text(COMMAND) + b"ios\nsystem\n."))
    add("14_zip_obj_opcode.pth", "global 'os.system' is not allowed", True, "OBJ opcode calling os.system",
        zip_pth(b"\x80\x02(cos\nsystem\n" + text(COMMAND) + b"o."))
    add("15_zip_getattr_import.pth", "global 'builtins.getattr' is not allowed", True,
        "getattr(__import__('os'), 'system')(...)",
        zip_pth(b"\x80\x02cbuiltins\ngetattr\ncbuiltins\n__import__\n" + text("os") + b"\x85R" + text("system")
                + b"\x86R" + text(COMMAND) + b"\x85R."))
    add("17_zip_obj_opcode_allowed_class.pth", "opcode OBJ", False, "OBJ opcode, even on an allowed class",
        zip_pth(b"\x80\x02(ccollections\nOrderedDict\no."))
    add("16_zip_whole_module.pth", "is not allowed", False, "a whole nn.Module pickled (classes, not weights)",
        zip_pth(dumps(torch.nn.ReLU())))

    def raw(body):
        return zip_pth(b"\x80\x02" + body + b".", deflate_pickle=True)

    add("20_memo_index_huge.pth", "memo index 4294967295 exceeds the limit", False,
        "LONG_BINPUT at index 2^32-1 (an array memo would allocate 32 GiB)", raw(b"Nr\xff\xff\xff\xff"))
    add("21_mark_flood.pth", "nested marks", False, "2000 MARKs", raw(b"(" * 2000))
    add("22_stack_flood.pth", "stack deeper than", False, "70000 pushes (deflated entry)", raw(b"N" * 70000))
    add("23_deep_nesting.pth", "nest deeper than", False, "5000 nested lists",
        raw(b"]" * 5000 + b"a" * 4999))
    add("24_huge_string_length.pth", "runs past the end", False, "BINUNICODE8 of 2^62 bytes",
        raw(b"\x8d" + struct.pack("<Q", 1 << 62)))
    add("25_huge_integer.pth", "integer of 2147483647 bytes", False, "LONG4 of 2^31-1 bytes",
        raw(b"\x8b" + struct.pack("<i", 2 ** 31 - 1)))
    add("26_memo_never_stored.pth", "memo index 7 was never stored", False, "BINGET of an empty slot",
        raw(b"h\x07"))

    pkl = dumps(state_dict(w=good_tensor()))
    add("30_zip_bomb_ratio.pth", "more than deflate's maximum ratio", False,
        "deflated entry declaring 4 GiB from a few bytes",
        zip_bytes([ZipEntry("archive/data.pkl", pkl, deflate=True, declared_size=2 ** 32 - 2)]))
    add("31_zip_declared_smaller.pth", "inflates to more than its declared 40 bytes", False,
        "deflated entry producing more than it declares",
        zip_bytes([ZipEntry("archive/data.pkl", pkl, deflate=True, declared_size=40),
                   ZipEntry("archive/data/0", f32(1, 2, 3, 4))]))
    add("32_zip_overlapping_entries.pth", "overlap", False, "one entry's data contains another entry",
        overlapping_zip())
    add("33_zip_duplicate_entry.pth", "occurs twice", False, "data.pkl twice (which one would be read?)",
        zip_bytes([ZipEntry("archive/data.pkl", pkl), ZipEntry("archive/data.pkl", dumps(state_dict(w=system)))]))
    add("34_zip_path_traversal.pth", "not a plain relative path", False, "entry named archive/../../etc/passwd",
        zip_bytes([ZipEntry("archive/data.pkl", pkl), ZipEntry("archive/../../etc/passwd", b"x")]))
    add("35_zip_absolute_path.pth", "not a plain relative path", False, "entry named /archive/data.pkl",
        zip_bytes([ZipEntry("/archive/data.pkl", pkl)]))
    add("36_zip_two_folders.pth", "more than one top-level folder", False, "entries in two top-level folders",
        zip_bytes([ZipEntry("a/data.pkl", pkl), ZipEntry("b/data/0", f32(1, 2, 3, 4))]))
    whole = zip_pth(pkl, [("0", f32(1, 2, 3, 4))])
    add("37_zip_truncated.pth", "no zip end-of-central-directory record", False, "a valid file cut in half",
        whole[:len(whole) // 2])
    add("38_zip_crc_mismatch.pth", "fails its CRC-32 check", False, "data.pkl with a wrong CRC-32",
        zip_bytes([ZipEntry("archive/data.pkl", pkl, crc=12345), ZipEntry("archive/data/0", f32(1, 2, 3, 4))]))
    add("39_zip_big_endian.pth", "only little-endian storages", False, "byteorder record saying big",
        zip_bytes([ZipEntry("archive/data.pkl", pkl), ZipEntry("archive/byteorder", b"big"),
                   ZipEntry("archive/data/0", f32(1, 2, 3, 4))]))
    add("40_zip_encrypted.pth", "is encrypted", False, "entry flagged as encrypted",
        zip_bytes([ZipEntry("archive/data.pkl", pkl, flags=1)]))
    add("41_zip_local_name_differs.pth", "local header", False, "local header names another file than the central",
        zip_bytes([ZipEntry("archive/data.pkl", pkl, local_name="archive/data.pk_")]))

    def with_storage(tensor, data=f32(1, 2, 3, 4)):
        return zip_pth(dumps(state_dict(w=tensor)), [("0", data)])

    add("50_storage_larger_than_entry.pth", "needs 4000 bytes but archive/data/0 holds 16", False,
        "persistent id declaring 1000 floats over 16 bytes", with_storage(good_tensor(numel=1000, size=(1000,))))
    add("51_view_beyond_storage.pth", "beyond the storage's 4 elements", False, "size 10 over 4 elements",
        with_storage(good_tensor(size=(10,))))
    add("52_offset_beyond_storage.pth", "beyond the storage's 4 elements", False, "storage offset 100",
        with_storage(good_tensor(offset=100, size=(2,))))
    add("53_stride_overflow.pth", "beyond the storage", False, "a stride of 2^62 (overflows a 64-bit index)",
        with_storage(good_tensor(size=(3, 2), stride=(2 ** 62, 1))))
    add("54_too_many_elements.pth", "more than 2147483647 elements", False, "shape (2^31-1, 2^31-1) with stride 0",
        with_storage(good_tensor(size=(2 ** 31 - 1, 2 ** 31 - 1), stride=(0, 0))))
    add("55_storage_key_path.pth", "is not a short alphanumeric name", False, "storage key ../../etc/passwd",
        with_storage(good_tensor(key="../../etc/passwd")))
    add("56_missing_storage_entry.pth", "has no entry archive/data/9", False, "storage key without data",
        with_storage(good_tensor(key="9")))
    add("57_bool_storage.pth", "global 'torch.BoolStorage' is not allowed", False, "a storage type not supported",
        with_storage(good_tensor(storage_type=torch.BoolStorage)))
    add("58_storage_named_twice.pth", "was named before as", False, "one key as Float of 4 and Long of 2",
        zip_pth(dumps(state_dict(a=good_tensor(), b=good_tensor(numel=2, size=(2,), storage_type=torch.LongStorage))),
                [("0", f32(1, 2, 3, 4))]))

    legacy_obj = dumps(state_dict(w=Tensor(Storage("storage", torch.FloatStorage, "7", "cpu", 4, None), 0, (4,),
                                           (1,))))
    keys = pickle.dumps(["7"], protocol=2)
    add("60_legacy_truncated_storage.pth", "past the end of the", False, "legacy storage data cut short",
        legacy_pth(legacy_obj, keys, struct.pack("<q", 4) + f32(1, 2)))
    add("61_legacy_count_mismatch.pth", "count header says 4611686018427387904", False,
        "legacy count header of 2^62", legacy_pth(legacy_obj, keys, struct.pack("<q", 2 ** 62) + f32(1, 2, 3, 4)))
    add("62_legacy_wrong_magic.pth", "not torch's magic number", False, "a plain pickle, not torch.save's",
        legacy_pth(legacy_obj, keys, magic=pickle.dumps(12345, protocol=2)))
    add("63_legacy_unlisted_storage.pth", "missing from the storage list", False, "storage used but not listed",
        legacy_pth(legacy_obj, pickle.dumps([], protocol=2)))
    add("64_legacy_truncated_pickle.pth", "truncated?", False, "legacy file cut inside a pickle",
        legacy_pth(legacy_obj)[:60])
    return out


def prove_code_runs(path):
    """Loads the file with torch.load in a scratch folder; True if the marker appeared."""
    scratch = tempfile.mkdtemp()
    try:
        subprocess.run([sys.executable, "-c", "import sys, torch\ntry:\n    torch.load(sys.argv[1])\n"
                        "except Exception:\n    pass", os.path.abspath(path)], cwd=scratch, check=False,
                       capture_output=True)
        return os.path.exists(os.path.join(scratch, MARKER))
    finally:
        shutil.rmtree(scratch)


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    rows = []
    for name, fragment, runs, description, data in cases():
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            f.write(data)
        if runs and not prove_code_runs(path):
            sys.exit("%s: expected torch.load to run its command, but no marker appeared" % name)
        rows.append("%s\t%s\t%s" % (name, fragment, ("runs code under torch.load: " if runs else "") + description))
        print("%6d  %s%s" % (len(data), name, "  (torch.load runs its command)" if runs else ""))
    with open(os.path.join(OUT, "MANIFEST.tsv"), "w") as f:
        f.write("# file\tfragment of the expected one-line error\twhat the file does "
                "(written by tools/golden/make_pth_hostile.py)\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
