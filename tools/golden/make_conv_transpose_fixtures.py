#!/usr/bin/env python3
"""PyTorch golden values for cnn4j's transposed convolution (ConvTransposeContract): forward, and the input, weight
and bias gradients of F.conv_transpose2d, computed in float64 from float32 inputs (as make_op_fixtures.py does).
Writes core/src/test/resources/golden/conv_transpose2d.safetensors. Run: python3 tools/golden/make_conv_transpose_fixtures.py
"""
import torch
import torch.nn.functional as F

from make_op_fixtures import Fixture, leaf


def main():
    fx = Fixture(3)
    fx.metadata["generator"] = "tools/golden/make_conv_transpose_fixtures.py"
    # name, x shape, weight shape [C, K/groups, R, S], stride, padding, output padding, dilation, groups, bias
    cases = [
        ("k3_s2_p1_op1_bias", (2, 3, 4, 5), (3, 4, 3, 3), (2, 2), (1, 1), (1, 1), (1, 1), 1, True),
        ("k4_s2_p1_nobias", (1, 4, 3, 3), (4, 2, 4, 4), (2, 2), (1, 1), (0, 0), (1, 1), 1, False),
        ("k3_s1_p0_g2_bias", (2, 4, 3, 4), (4, 3, 3, 3), (1, 1), (0, 0), (0, 0), (1, 1), 2, True),
        ("k3x2_s3x2_p1x0_op2x1_d2_bias", (1, 2, 3, 4), (2, 3, 3, 2), (3, 2), (1, 0), (2, 1), (2, 2), 1, True),
        ("k3_s2_p1_op1_depthwise_nobias", (1, 4, 4, 4), (4, 1, 3, 3), (2, 2), (1, 1), (1, 1), (1, 1), 4, False),
    ]
    for name, xs, ws, stride, padding, out_pad, dilation, groups, bias in cases:
        x, w = fx.randn(*xs), fx.randn(*ws)
        b = fx.randn(ws[1] * groups) if bias else None
        x64, w64 = leaf(x), leaf(w)
        b64 = leaf(b) if bias else None
        y = F.conv_transpose2d(x64, w64, b64, stride=stride, padding=padding, output_padding=out_pad,
                               groups=groups, dilation=dilation)
        dy = fx.randn(*y.shape)
        (y * dy.double()).sum().backward()
        params = {"stride": list(stride), "padding": list(padding), "output_padding": list(out_pad),
                  "dilation": list(dilation), "groups": groups}
        fx.add(name, params, x=x, w=w, b=b, dy=dy, y=y, dx=x64.grad, dw=w64.grad, db=b64.grad if bias else None)
    fx.save("conv_transpose2d.safetensors")


if __name__ == "__main__":
    main()
