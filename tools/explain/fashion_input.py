#!/usr/bin/env python3
"""Writes one Fashion-MNIST test image as the tensor 'input' [1, 1, 28, 28] of a safetensors file, normalised as
`cnn train` normalises it ((x / 255 - 0.2860) / 0.3530), for `cnn explain --input`. Python standard library only.

  python3 tools/explain/fashion_input.py INDEX OUT.safetensors [IMAGES.gz]

IMAGES.gz defaults to the test images of the subset embedded in cnn4j-core. Prints the image's label.
"""
import gzip
import json
import os
import struct
import sys

SUBSET = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "core", "src", "main", "resources",
                      "org", "cnn4j", "data", "fashion-mnist-subset")
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def main():
    index, out = int(sys.argv[1]), sys.argv[2]
    images = sys.argv[3] if len(sys.argv) > 3 else os.path.join(SUBSET, "t10k-images-idx3-ubyte.gz")
    labels = images.replace("images-idx3", "labels-idx1")
    with gzip.open(images, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 2051 or not 0 <= index < n:
            raise SystemExit("%s: not an IDX image file, or index %d not in 0..%d" % (images, index, n - 1))
        f.read(index * rows * cols)
        pixels = f.read(rows * cols)
    with gzip.open(labels, "rb") as f:
        f.read(8 + index)
        label = f.read(1)[0]
    values = [(p / 255.0 - 0.2860) / 0.3530 for p in pixels]
    data = struct.pack("<%df" % len(values), *values)
    header = {"input": {"dtype": "F32", "shape": [1, 1, rows, cols], "data_offsets": [0, len(data)]},
              "__metadata__": {"label": str(label), "class": CLASSES[label], "source": os.path.basename(images)}}
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(out, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)
    print("test image %d: label %d (%s)" % (index, label, CLASSES[label]))


if __name__ == "__main__":
    main()
