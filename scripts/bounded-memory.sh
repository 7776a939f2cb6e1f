#!/usr/bin/env bash
# Bounded memory (issue 15): an 8.6 GB scan (256×256 positions of 256×256 px uint16, 22× a 384 MB heap)
# through every pipeline at -Xmx384m; prints wall time and peak RSS (GNU time) per run.
#   scripts/bounded-memory.sh [WORKDIR]      (needs ~18 GB free in WORKDIR; deletes the big files at the end)
# Amorphous data: a 16×16 simulation (ltz4d simulate, itself streaming) tiled 16×16 times; crystalline data:
# the real Si [110] MIB frame of ../shared tiled to the same scan. The jar is launcher/target/ltz4d.jar
# (build it with: mvn -B -q -pl launcher -am verify -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/target/bounded-memory}"
jar="$root/launcher/target/ltz4d.jar"
heap="${HEAP:-384m}"
tiles="${TILES:-16}"   # tiles per axis: scan = 16·TILES × 16·TILES positions
mkdir -p "$work"
cp "$jar" "$work/ltz4d.jar" && jar="$work/ltz4d.jar"   # a rebuild during the runs does not touch the running jar
run() { # name, args...
  local name="$1"; shift
  echo "== $name: java -Xmx$heap -jar ltz4d.jar $*" >&2
  /usr/bin/time -v -o "$work/$name.time" java -Xmx"$heap" -Dltz4d.scratch="$work/scratch" -jar "$jar" "$@" > "$work/$name.log" 2>&1 \
    || { echo "$name FAILED:"; tail -5 "$work/$name.log"; }
  printf '%-22s wall %s  peak RSS %s MB\n' "$name" "$(grep 'Elapsed (wall' "$work/$name.time" | awk '{print $NF}')" \
    "$(( $(grep 'Maximum resident' "$work/$name.time" | awk '{print $NF}') / 1024 ))"
}
java -jar "$jar" simulate --out "$work/sim" --scan 16,16 --detector 256,256 --ring-radius-px 70 --no-vacuum --quiet > /dev/null
python3 - "$work" "$tiles" "$root/../shared/data/real/mib/merlintools/CL_380mm_Si110.mib" <<'PY'
import sys, numpy as np
work, t, mib = sys.argv[1], int(sys.argv[2]), sys.argv[3]
a = np.load(f"{work}/sim/data.npy", mmap_mode="r")            # (16, 16, 256, 256)
ny, nx = a.shape[0] * t, a.shape[1] * t
for name, tile in (("amorphous", lambda y: a[y % a.shape[0]]),
                   ("si110", None)):
    out = np.lib.format.open_memmap(f"{work}/{name}.npy", mode="w+", dtype=a.dtype, shape=(ny, nx) + a.shape[2:])
    if tile is None:
        raw = open(mib, "rb").read()
        frame = np.frombuffer(raw, dtype=">u2", offset=384, count=256 * 256).reshape(256, 256).astype(a.dtype)
        for y in range(ny): out[y, :] = frame
    else:
        for y in range(ny): out[y] = np.tile(tile(y), (t, 1, 1))
    out.flush(); del out
PY
ls -la "$work"/*.npy
sim="$work/amorphous.npy"
common=(--beam-kv 300 --pixel-mrad 0.16 --reference-roi 0:8,0:8)
run amorphous         analyze "$sim" --pipeline amorphous "${common[@]}" --out "$work/o-amorphous"
run amorphous-pdf     analyze "$sim" --pipeline amorphous "${common[@]}" --pdf --composition Fe85.2Si0.5B9.5P4Cu0.8 --out "$work/o-pdf"
run virtual           analyze "$sim" --pipeline virtual --out "$work/o-virtual"
cat > "$work/Si.cif" <<'CIF'
data_Si
_symmetry_space_group_name_H-M 'F d -3 m'
_cell_length_a 5.431
_cell_length_b 5.431
_cell_length_c 5.431
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
Si1 Si 0.125 0.125 0.125
CIF
run crystalline       analyze "$work/si110.npy" --pipeline crystalline --beam-kv 200 --structure "$work/Si.cif" --disk-model uniform --out "$work/o-crystalline"
[ -n "${KEEP:-}" ] || rm -f "$work"/*.npy
