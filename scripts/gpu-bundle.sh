#!/usr/bin/env bash
# Builds .gpu/ (git-ignored, about 50 MB): what a Linux GPU machine with a pip PyTorch and no .NET needs to run `mtl`
# and the CUDA tests, and the check script that runs there (scripts/gpu-check.sh). Self-contained linux-x64 publishes,
# trimmed (framework assemblies only), without libtorch: the machine's PyTorch provides it through MTL_LIBTORCH_DIR.
# Usage: scripts/gpu-bundle.sh   (then carry .gpu to the GPU machine and run .gpu/gpu-check.sh there)
set -euo pipefail
cd "$(dirname "$0")/.."
out=.gpu
rm -rf "$out"
mkdir -p "$out"
publish=(-c Release -r linux-x64 --self-contained -p:GpuBundle=true -p:PublishTrimmed=true -p:TrimMode=partial
  -p:SuppressTrimAnalysisWarnings=true -p:JsonSerializerIsReflectionEnabledByDefault=true -p:DebugType=none -p:GenerateDocumentationFile=false -p:SatelliteResourceLanguages=en -nologo -v q)
dotnet publish src/MtlAgent.Cli "${publish[@]}" -o "$out/mtl"
dotnet publish tests/MtlAgent.Cuda.Tests "${publish[@]}" -o "$out/cuda-tests"
# The runtime's natives and the assemblies both apps share are identical: keep one copy (gpu-check.sh restores the rest).
(cd "$out/cuda-tests" && for f in *; do
  if [ -f "../mtl/$f" ] && cmp -s "$f" "../mtl/$f"; then echo "$f"; rm "$f"; fi
done > ../cuda-tests.shared)
cp scripts/gpu-check.sh "$out/"
chmod +x "$out/gpu-check.sh"
if find "$out" -name 'libtorch_cpu.so' | grep -q .; then echo "error: a libtorch got into $out" >&2; exit 1; fi
du -sh "$out" "$out"/*/
