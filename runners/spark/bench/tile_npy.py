#!/usr/bin/env python3
"""tile_npy.py SEED.npy OUT.npy Y X: OUT is a (Y, X, H, W) scan whose frame (y, x) is SEED's frame
(y mod Ys, x mod Xs), SEED being (Ys, Xs, H, W). For throughput benchmarks only: the frames repeat,
so the maps mean nothing. Standard library only."""
import ast
import struct
import sys

seed, out, ny, nx = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(seed, "rb") as f:
    magic = f.read(8)
    assert magic[:6] == b"\x93NUMPY", "not an .npy file"
    if magic[6] == 1:
        hlen = struct.unpack("<H", f.read(2))[0]
    else:
        hlen = struct.unpack("<I", f.read(4))[0]
    header = ast.literal_eval(f.read(hlen).decode("latin1"))
    data = f.read()
sy, sx, h, w = header["shape"]
fb = len(data) // (sy * sx)
frames = [data[i * fb:(i + 1) * fb] for i in range(sy * sx)]
d = "{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d, %d, %d), }" % (header["descr"], ny, nx, h, w)
pad = 64 - (10 + len(d) + 1) % 64
hd = (d + " " * pad + "\n").encode("latin1")
with open(out, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hd)) + hd)
    for y in range(ny):
        f.write(b"".join(frames[(y % sy) * sx + (x % sx)] for x in range(nx)))
print("%s: shape (%d, %d, %d, %d), %.2f GB" % (out, ny, nx, h, w, (len(hd) + 10 + ny * nx * fb) / 1e9))
