#!/usr/bin/env bash
# The GPU machine's check, run from the bundle folder that scripts/gpu-bundle.sh builds (.gpu/gpu-check.sh), on a Linux
# machine with a pip PyTorch (CUDA) and no .NET. Sized to finish well inside 10 minutes. Everything goes to $OUT.
#   (a) the machine's torch version, and whether that libtorch defines every symbol TorchSharp's shim imports
#       (mtl doctor); if any is missing, it says which and stops: an ABI mismatch is not patched around
#   (b) the CUDA tests
#   (c) mtl bench learner and mtl bench train on CUDA, one and five games, reference, minatar5 and minatar5-gpu settings
#   (d) a short real run (minatar5-gpu, FRAMES frames per game, default 200,000) and mtl eval of its checkpoint on the CPU
set -u
here=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$here/out}
FRAMES=${FRAMES:-200000}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/check.log") 2>&1
mtl="$here/mtl/mtl"
step() { echo; echo "== $(date -u +%H:%M:%S) $*"; }

step "(a) torch and libtorch symbols"
python3 - > "$OUT/torch.txt" 2>&1 <<'PY'
import os, torch
print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())
if torch.cuda.is_available(): print("device", torch.cuda.get_device_name(0))
print("lib", os.path.join(os.path.dirname(torch.__file__), "lib"))
PY
cat "$OUT/torch.txt"
lib=$(sed -n 's/^lib //p' "$OUT/torch.txt")
version=$(sed -n 's/^torch \([0-9]*\.[0-9]*\).*/\1/p' "$OUT/torch.txt")
export MTL_LIBTORCH_DIR="$lib"
"$mtl" doctor | tee "$OUT/doctor.txt"
if grep -q "missing from" "$OUT/doctor.txt" || ! grep -q "^symbols" "$OUT/doctor.txt"; then
  echo "libtorch $version lacks symbols TorchSharp 0.107 imports (doctor.txt): stopping here, as asked"
  exit 0
fi
if [ "$version" != "2.10" ]; then
  echo "libtorch $version is not 2.10, but defines every symbol the shim imports: going on with MTL_LIBTORCH_ACCEPT_VERSION=$version"
  export MTL_LIBTORCH_ACCEPT_VERSION="$version"
  "$mtl" doctor | tee -a "$OUT/doctor.txt"
fi

step "(b) CUDA tests"
while read -r f; do [ -e "$here/cuda-tests/$f" ] || cp "$here/mtl/$f" "$here/cuda-tests/$f"; done < "$here/cuda-tests.shared"
timeout 300 "$here/cuda-tests/MtlAgent.Cuda.Tests" > "$OUT/cuda-tests.txt" 2>&1; echo "cuda tests exit $?"
tail -5 "$OUT/cuda-tests.txt"

step "(c) benchmarks"
for settings in reference minatar5 minatar5-gpu; do
  preset=(); [ "$settings" = reference ] || preset=(--preset "$settings")
  timeout 120 "$mtl" bench train --device cuda --seconds 5 "${preset[@]}" --json "$OUT/bench-train-cuda-$settings.json"
  timeout 90 "$mtl" bench learner --device cuda --seconds 3 "${preset[@]}" --json "$OUT/bench-learner-cuda-$settings.json"
done
timeout 120 "$mtl" bench train --device cpu --seconds 5 --preset minatar5 --json "$OUT/bench-train-cpu-minatar5.json"

step "(d) short run: minatar5-gpu, $FRAMES frames per game, then mtl eval on the CPU"
rm -rf "$OUT/run"
timeout 330 "$mtl" train --preset minatar5-gpu --frames "$FRAMES" --run-dir "$OUT/run" --set run.log_every_frames=20000 \
  --set run.checkpoint_every_frames=100000 | tail -20
timeout 120 "$mtl" eval --checkpoint "$OUT/run" --episodes 10 --max-steps 5000 --json "$OUT/eval.json"
rm -f "$OUT"/run/step-*/replay-*.msgpack   # keep what comes back small
step "done"
