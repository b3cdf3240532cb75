#!/usr/bin/python3
"""Checks cnn4j's ONNX files and schema with Debian's python3-onnx (apt-get install python3-onnx).

  check.py model a.onnx [b.onnx ...]   onnx.checker (full_check: shape inference too) accepts each file
  check.py schema core/src/main/proto/onnx.proto
                                       every message field in cnn4j's schema has the name, number and label of
                                       ONNX's own onnx.proto (from the installed onnx package's descriptors)
Not needed by the Java tests; run by hand when the exporter or the schema changes.
"""
import re
import sys

import onnx
from google.protobuf.descriptor import FieldDescriptor


def check_models(paths):
    for path in paths:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        opset = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
        print(f"ok {path}: ir_version {model.ir_version}, opset {opset}, {len(model.graph.node)} nodes, "
              f"{len(model.graph.initializer)} initializers")


def schema_fields(text):
    """(message path, field name) -> (number, repeated) from the subset of proto2 that onnx.proto uses here."""
    fields, stack = {}, []
    for raw in text.splitlines():
        line = raw.split("//")[0].strip()
        m = re.match(r"message\s+(\w+)\s*\{", line)
        if m:
            stack.append(m.group(1))
            continue
        if line == "}":
            stack.pop()
            continue
        m = re.match(r"(optional|repeated)\s+[\w.]+\s+(\w+)\s*=\s*(\d+)\s*;", line)
        if m:
            fields[(".".join(stack), m.group(2))] = (int(m.group(3)), m.group(1) == "repeated")
    return fields


def check_schema(path):
    with open(path) as f:
        ours = schema_fields(f.read())
    bad = 0
    for (message, name), (number, repeated) in sorted(ours.items()):
        descriptor = onnx.ModelProto.DESCRIPTOR.file.message_types_by_name[message.split(".")[0]]
        for nested in message.split(".")[1:]:
            descriptor = descriptor.nested_types_by_name[nested]
        field = descriptor.fields_by_name.get(name)
        if field is None:
            print(f"MISSING {message}.{name}: not in onnx's {descriptor.full_name}")
            bad += 1
        elif field.number != number or (field.label == FieldDescriptor.LABEL_REPEATED) != repeated:
            print(f"MISMATCH {message}.{name}: ours {number} repeated={repeated}, onnx {field.number} "
                  f"repeated={field.label == FieldDescriptor.LABEL_REPEATED}")
            bad += 1
    print(f"{len(ours)} fields checked against onnx {onnx.__version__}: {bad} differ")
    return bad == 0


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("model", "schema"):
        sys.exit(__doc__)
    if sys.argv[1] == "model":
        check_models(sys.argv[2:])
    elif not check_schema(sys.argv[2]):
        sys.exit(1)
