"""Helpers shared by make_pth_fixtures.py and make_pth_hostile.py: a zip writer whose every field can be set (so
hostile archives can lie), and a pickle re-encoder. Needs only the standard library. (The safetensors writer is
safetensors_writer.py.)"""
import pickletools
import struct
import zlib


class ZipEntry:
    """One file for zip_bytes; the declared_* and offset fields override the true values (to build lies)."""

    def __init__(self, name, data, deflate=False, declared_size=None, declared_compressed=None, crc=None,
                 local_name=None, flags=0, method=None):
        self.name, self.data, self.deflate = name, data, deflate
        self.declared_size, self.declared_compressed, self.crc = declared_size, declared_compressed, crc
        self.local_name, self.flags, self.method = local_name, flags, method
        self.point_at = None  # index of an earlier entry whose local header this central entry reuses


def zip_bytes(entries, zip64=False):
    """A zip archive, laid out like torch's writer (local headers, data, central directory, end record)."""
    out, central, offsets = bytearray(), [], []
    for e in entries:
        payload = e.data
        if e.deflate:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            payload = c.compress(e.data) + c.flush()
        method = e.method if e.method is not None else (8 if e.deflate else 0)
        crc = e.crc if e.crc is not None else zlib.crc32(e.data) & 0xffffffff
        size = e.declared_size if e.declared_size is not None else len(e.data)
        csize = e.declared_compressed if e.declared_compressed is not None else len(payload)
        name = e.name.encode("utf-8")
        if e.point_at is not None:
            offset = offsets[e.point_at]
        else:
            offset = len(out)
            local = (e.local_name or e.name).encode("utf-8")
            out += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, e.flags, method, 0, 0, crc,
                               0xffffffff if zip64 else csize, 0xffffffff if zip64 else size, len(local),
                               20 if zip64 else 0) + local
            if zip64:
                out += struct.pack("<HHQQ", 1, 16, size, csize)
            out += payload
        offsets.append(offset)
        extra = struct.pack("<HHQQQ", 1, 24, size, csize, offset) if zip64 else b""
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45 if zip64 else 20, 45 if zip64 else 20,
                                   e.flags, method, 0, 0, crc, 0xffffffff if zip64 else csize,
                                   0xffffffff if zip64 else size, len(name), len(extra), 0, 0, 0, 0,
                                   0xffffffff if zip64 else offset) + name + extra)
    cd_offset = len(out)
    cd = b"".join(central)
    out += cd
    if zip64:
        eocd64 = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, len(entries), len(entries), len(cd),
                           cd_offset)
        out += struct.pack("<IIQI", 0x07064b50, 0, eocd64, 1)
        out += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xffff, 0xffff, 0xffffffff, 0xffffffff, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(entries), len(entries), len(cd), cd_offset, 0)
    return bytes(out)


def read_zip_entries(path):
    """(name, bytes) of every entry of a zip written by torch.save, in order."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def legacy_pickles(path):
    """Splits a legacy-format file into its five pickles and the raw storage bytes that follow."""
    with open(path, "rb") as f:
        data = f.read()
    pickles, pos = [], 0
    for _ in range(5):
        end = pos
        for op, arg, at in pickletools.genops(data[pos:]):
            if op.name == "STOP":
                end = pos + at + 1
                break
        pickles.append(data[pos:end])
        pos = end
    return pickles, data[pos:]


def strings_as_py2(pickle_bytes):
    """Re-encodes a protocol-2 pickle's str opcodes (BINUNICODE) as Python 2's byte strings (BINSTRING)."""
    out = bytearray()
    ops = list(pickletools.genops(pickle_bytes))
    for i, (op, arg, pos) in enumerate(ops):
        end = ops[i + 1][2] if i + 1 < len(ops) else len(pickle_bytes)
        if op.name == "BINUNICODE":
            raw = arg.encode("utf-8")
            out += (b"U" + bytes([len(raw)]) if len(raw) < 256 else b"T" + struct.pack("<i", len(raw))) + raw
        else:
            out += pickle_bytes[pos:end]
    return bytes(out)
