#!/usr/bin/python3
"""Independent reader of the TensorBoard event files that cnn4j writes.

Splits each events.out.tfevents.* file into TFRecords, checks both masked CRC-32Cs of every record with a
CRC-32C written here from its definition (not Java's), decodes the records with Debian's python3-protobuf
against core/src/main/proto/tensorboard_events.proto compiled by protoc (Debian's protobuf-compiler), and
prints what each tag holds. Exit status 1 on any framing, CRC or decoding error, or a missing --expect tag.

    apt-get install python3-protobuf protobuf-compiler
    /usr/bin/python3 tools/tensorboard/read_events.py RUN_DIR [--expect train/loss --expect lr ...]
    /usr/bin/python3 tools/tensorboard/read_events.py --self-test
"""
import argparse
import collections
import os
import pathlib
import struct
import subprocess
import sys
import tempfile

SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "core/src/main/proto/tensorboard_events.proto"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _crc32c_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1  # reflected Castagnoli polynomial
        table.append(crc)
    return table


_TABLE = _crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(blob, name):
    pos = 0
    while pos < len(blob):
        if len(blob) - pos < 12:
            raise ValueError(f"{name}: truncated record header at byte {pos}")
        header = blob[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", blob[pos + 8:pos + 12])
        if length_crc != masked_crc32c(header):
            raise ValueError(f"{name}: length CRC mismatch at byte {pos}")
        start = pos + 12
        if start + length + 4 > len(blob):
            raise ValueError(f"{name}: record at byte {pos} claims {length} bytes past the end of the file")
        data = blob[start:start + length]
        (data_crc,) = struct.unpack("<I", blob[start + length:start + length + 4])
        if data_crc != masked_crc32c(data):
            raise ValueError(f"{name}: data CRC mismatch in the record at byte {pos}")
        yield data
        pos = start + length + 4


def event_class():
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "schema.pb")
        subprocess.run(["protoc", f"--proto_path={SCHEMA.parent}", f"--descriptor_set_out={out}", SCHEMA.name],
                       check=True)
        fds = descriptor_pb2.FileDescriptorSet.FromString(pathlib.Path(out).read_bytes())
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    desc = pool.FindMessageTypeByName("tensorflow.Event")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


def read(path, Event):
    """(tag -> list of (step, kind, detail)), number of events, file_version."""
    tags = collections.defaultdict(list)
    version = None
    count = 0
    for raw in records(path.read_bytes(), path.name):
        event = Event.FromString(raw)
        if event.UnknownFields() if hasattr(event, "UnknownFields") else False:
            raise ValueError(f"{path.name}: event {count} holds fields unknown to the schema")
        count += 1
        if event.HasField("file_version"):
            version = event.file_version
            continue
        for v in event.summary.value:
            if v.HasField("image"):
                png = v.image.encoded_image_string
                if not png.startswith(PNG_SIGNATURE):
                    raise ValueError(f"{path.name}: image '{v.tag}' at step {event.step} is not a PNG")
                (w, h) = struct.unpack(">II", png[16:24])  # IHDR width, height
                if (w, h) != (v.image.width, v.image.height):
                    raise ValueError(f"{path.name}: image '{v.tag}' says {v.image.width}x{v.image.height},"
                                     f" its PNG is {w}x{h}")
                tags[v.tag].append((event.step, "image", f"{w}x{h} colorspace {v.image.colorspace}"))
            elif v.HasField("histo"):
                hist = v.histo
                if len(hist.bucket) != len(hist.bucket_limit) or abs(sum(hist.bucket) - hist.num) > 0.5:
                    raise ValueError(f"{path.name}: histogram '{v.tag}' buckets do not add up to num {hist.num}")
                tags[v.tag].append((event.step, "histogram",
                                    f"n={hist.num:g} min={hist.min:.4g} max={hist.max:.4g} {len(hist.bucket)} buckets"))
            else:
                tags[v.tag].append((event.step, "scalar", v.simple_value))
    return tags, count, version


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", nargs="?", help="an events file or a folder holding events.out.tfevents.* files")
    ap.add_argument("--expect", action="append", default=[], help="fail unless this tag is present")
    ap.add_argument("--self-test", action="store_true", help="print CRC-32C check values and exit")
    args = ap.parse_args()
    if args.self_test:
        check = b"123456789"
        print(f"crc32c(123456789) = 0x{crc32c(check):08x} (expected 0xe3069283)")
        print(f"masked = 0x{masked_crc32c(check):08x}; masked(empty) = 0x{masked_crc32c(b''):08x}")
        return 0 if crc32c(check) == 0xE3069283 else 1
    if not args.path:
        ap.error("give an events file or folder")
    root = pathlib.Path(args.path)
    files = sorted(root.glob("events.out.tfevents.*")) if root.is_dir() else [root]
    if not files:
        print(f"{root}: no events.out.tfevents.* files", file=sys.stderr)
        return 1
    Event = event_class()
    seen = set()
    try:
        for f in files:
            tags, count, version = read(f, Event)
            print(f"{f.name}: {count} events, file_version {version!r}")
            if version != "brain.Event:2":
                raise ValueError(f"{f.name}: first event lacks file_version brain.Event:2")
            for tag in sorted(tags):
                entries = tags[tag]
                first, last = entries[0], entries[-1]
                print(f"  {tag:40s} {len(entries):5d} x {first[1]:9s} steps {first[0]}..{last[0]}"
                      f"  first {first[2]}  last {last[2]}")
                seen.add(tag)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    missing = [t for t in args.expect if t not in seen]
    if missing:
        print(f"error: missing tags {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
