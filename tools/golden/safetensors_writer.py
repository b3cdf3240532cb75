"""The safetensors writer of every fixture script (op, zoo, sequence, explain and .pth fixtures). Needs only the
standard library and torch (no safetensors package)."""
import json
import struct

import torch

# torch dtype -> (safetensors dtype, struct code)
ST_DTYPES = {torch.float32: ("F32", "f"), torch.float64: ("F64", "d"), torch.int64: ("I64", "q"),
             torch.int32: ("I32", "i"), torch.uint8: ("U8", "B")}


def write_safetensors(path, tensors, metadata=None):
    """Writes tensors (name -> torch tensor of a dtype in ST_DTYPES; float16 and bfloat16 are written as F32) in
    insertion order, with metadata (a dict of strings) as __metadata__ unless it is empty, the header padded with
    spaces to a multiple of 8 bytes, like the reference writer."""
    header = {"__metadata__": metadata} if metadata else {}
    chunks, offset = [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        if t.dtype in (torch.float16, torch.bfloat16):
            t = t.float()
        if t.dtype not in ST_DTYPES:
            raise ValueError("%s: unsupported dtype %s" % (name, t.dtype))
        dtype, code = ST_DTYPES[t.dtype]
        values = t.flatten().tolist()
        data = struct.pack("<%d%s" % (len(values), code), *values)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in chunks:
            f.write(data)
