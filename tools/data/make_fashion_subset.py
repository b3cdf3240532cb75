#!/usr/bin/env python3
"""Write a class-balanced Fashion-MNIST subset as gzip'd IDX files (Python 3 standard library only).

Takes the first TRAIN_PER_CLASS training and TEST_PER_CLASS test images of each class, in file order
(so the result is deterministic), from the four official files (Debian: apt-get install
dataset-fashion-mnist, which puts them in /usr/share/datasets/fashion-mnist), and writes
train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
t10k-labels-idx1-ubyte.gz into the output directory.

usage: make_fashion_subset.py [--src DIR] [--out DIR] [--train-per-class N] [--test-per-class M]
"""
import argparse
import gzip
import hashlib
import os
import struct

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801


def read_idx(path, magic, rank):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    found = struct.unpack(">I", data[:4])[0]
    if found != magic:
        raise SystemExit(f"{path}: expected IDX magic 0x{magic:08X}, found 0x{found:08X}")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    body = data[4 + 4 * rank:]
    size = 1
    for d in dims:
        size *= d
    if len(body) != size:
        raise SystemExit(f"{path}: header declares {dims} = {size} bytes, file has {len(body)}")
    return dims, body


def find(src, names):
    for name in names:
        for suffix in (".gz", ""):
            path = os.path.join(src, name + suffix)
            if os.path.exists(path):
                return path
    raise SystemExit(f"none of {names} (.gz or raw) in {src}")


def balanced(src, prefix, per_class):
    images_path = find(src, [f"{prefix}-images-idx3-ubyte"])
    labels_path = find(src, [f"{prefix}-labels-idx1-ubyte"])
    (n, rows, cols), pixels = read_idx(images_path, IMAGES_MAGIC, 3)
    (m,), labels = read_idx(labels_path, LABELS_MAGIC, 1)
    if n != m:
        raise SystemExit(f"{images_path} has {n} images but {labels_path} has {m} labels")
    taken = {c: 0 for c in range(10)}
    keep = []
    for i, label in enumerate(labels):
        if taken[label] < per_class:
            taken[label] += 1
            keep.append(i)
    if any(t < per_class for t in taken.values()):
        raise SystemExit(f"{prefix}: not enough images per class for {per_class}: {taken}")
    size = rows * cols
    out_pixels = b"".join(pixels[i * size:(i + 1) * size] for i in keep)
    out_labels = bytes(labels[i] for i in keep)
    return rows, cols, out_pixels, out_labels


def write_gz(path, payload):
    # mtime=0 and no file name in the header: the same input always gives the same bytes
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(payload)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f"{os.path.basename(path)}: {os.path.getsize(path)} bytes, sha256 {digest}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "core", "src", "main", "resources", "org", "cnn4j", "data",
                               "fashion-mnist-subset")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--out", default=os.path.normpath(default_out))
    parser.add_argument("--train-per-class", type=int, default=800)
    parser.add_argument("--test-per-class", type=int, default=200)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for prefix, per_class in (("train", args.train_per_class), ("t10k", args.test_per_class)):
        rows, cols, pixels, labels = balanced(args.src, prefix, per_class)
        count = len(labels)
        write_gz(os.path.join(args.out, f"{prefix}-images-idx3-ubyte.gz"),
                 struct.pack(">IIII", IMAGES_MAGIC, count, rows, cols) + pixels)
        write_gz(os.path.join(args.out, f"{prefix}-labels-idx1-ubyte.gz"),
                 struct.pack(">II", LABELS_MAGIC, count) + labels)


if __name__ == "__main__":
    main()
