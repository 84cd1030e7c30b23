#!/usr/bin/env bash
# onnxruntime-node on a GPU through the WebGPU EP, against PyTorch fp16 on the same card.
# The GPU machine has no Node and reaches no network, so everything travels from here in two
# carried folders, each under the device tool's 64 MiB limit (Node + onnxruntime-node ≈ 35 MB,
# the fp16 variant ≈ 45 MB: together they do not fit):
#
#   here:        npm run build && bash bench/gpu/run-gpu-bench.sh pack
#   GPU call 1:  carry bench/gpu/.carry/runtime   bash bench/gpu/run-gpu-bench.sh stage
#   GPU call 2:  carry bench/gpu/.carry/model     bash bench/gpu/run-gpu-bench.sh run
#
# Call 2 must follow call 1 while the machine is still warm (stage unpacks into $STAGE, outside
# the working tree). `EP=cpu` runs the same path on the CPU EP; docs/gpu.md has the details.
# Knobs: EP (webgpu|cpu), BATCHES (32,128,512), SEQ (128), TEXTS (replay only the first N
# corpus texts), PROFILE_BATCH (128), CORPUS_SIZE (pack; 1000), SKIP_TORCH=1,
# STAGE (/tmp/embedline-gpu).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CARRY=$HERE/.carry
STAGE=${STAGE:-/tmp/embedline-gpu}
EP=${EP:-webgpu}
BATCHES=${BATCHES:-32,128,512}
SEQ=${SEQ:-128}
RESULTS=${OUT:-$STAGE/out}
MAX_PART_BYTES=$((62 * 1024 * 1024))

die() { echo "run-gpu-bench: $*" >&2; exit 1; }

# xz may be missing on a minimal image; Python's lzma reads the same files.
unxz_to() {
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
untar_xz() {
  if command -v xz >/dev/null; then tar -C "$2" -xJf "$1"; else python3 -c 'import tarfile,sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; fi
}

pack() {
  cd "$ROOT"
  [ -f dist/bench/gpu/gpuBench.js ] || die "build first: npm run build"
  node bin/embedline.js model optimize --variant gpu-fp16 >/dev/null
  local model_dir
  model_dir=$(node --input-type=module -e "
    import { loadConfig } from './dist/core/config/loadConfig.js';
    import { modelStoreFor } from './dist/core/model/modelSources.js';
    const config = loadConfig(process.env);
    console.log(modelStoreFor(config).store.dirOf(config.model.name));")
  rm -rf "$CARRY" && mkdir -p "$CARRY/runtime/vulkan" "$CARRY/model"

  # Node: this machine's own binary, stripped of debug info (99 -> 86 MB, 22 MB as xz). It needs
  # only glibc >= 2.28 and libstdc++, which the GPU machine's image has.
  local node_bin; node_bin=$(node -p process.execPath)
  if command -v strip >/dev/null; then strip -o "$CARRY/runtime/node" "$node_bin"; else cp "$node_bin" "$CARRY/runtime/node"; fi
  xz -T0 -9 "$CARRY/runtime/node"
  # onnxruntime-node: its JS, the Linux x64 binaries (with the WebGPU EP built in), and onnxruntime-common.
  tar -C node_modules -cJf "$CARRY/runtime/node_modules.tar.xz" \
    onnxruntime-node/package.json onnxruntime-node/dist onnxruntime-node/bin/napi-v6/linux/x64 onnxruntime-common
  # Dawn dlopens libvulkan.so.1; the GPU machine's image has no Vulkan loader, only NVIDIA's driver.
  local debs; debs=$(mktemp -d)
  (cd "$debs" && apt-get download libvulkan1 >/dev/null 2>&1) || die "apt-get download libvulkan1 failed (needs a Debian/Ubuntu machine)"
  dpkg-deb -x "$debs"/libvulkan1_*.deb "$debs/root"
  # One regular file: a carried symbolic link would travel as a bare link.
  cp -L "$debs"/root/usr/lib/x86_64-linux-gnu/libvulkan.so.1 "$CARRY/runtime/vulkan/"
  rm -rf "$debs"

  cp "$model_dir/onnx/model_gpu_fp16.onnx" "$model_dir/config.json" "$CARRY/model/"
  (cd "$CARRY/model" && sha256sum model_gpu_fp16.onnx >model.sha256)
  node dist/bench/gpu/packCorpus.js "$CARRY/model" --size "${CORPUS_SIZE:-1000}"
  tar -C "$ROOT" --exclude='*.map' -cJf "$CARRY/model/dist.tar.xz" dist
  for part in runtime model; do
    local bytes; bytes=$(du -sb "$CARRY/$part" | cut -f1)
    echo "bench/gpu/.carry/$part: $((bytes / 1024 / 1024)) MiB"
    [ "$bytes" -lt "$MAX_PART_BYTES" ] || die "bench/gpu/.carry/$part is over the carry limit"
  done
}

stage() {
  [ -f "$CARRY/runtime/node.xz" ] || die "no bench/gpu/.carry/runtime here: carry it (see the top of this file)"
  rm -rf "$STAGE" && mkdir -p "$STAGE/app/node_modules" "$STAGE/vulkan"
  unxz_to "$CARRY/runtime/node.xz" "$STAGE/node" && chmod +x "$STAGE/node"
  untar_xz "$CARRY/runtime/node_modules.tar.xz" "$STAGE/app/node_modules"
  cp "$CARRY"/runtime/vulkan/libvulkan.so.1 "$STAGE/vulkan/"
  echo "staged $("$STAGE/node" --version) and onnxruntime-node $("$STAGE/node" -p "require('$STAGE/app/node_modules/onnxruntime-node/package.json').version") in $STAGE"
}

run() {
  [ -x "$STAGE/node" ] || die "nothing staged in $STAGE: run 'stage' first, in the call just before (a cold machine starts bare)"
  [ -f "$CARRY/model/dist.tar.xz" ] || die "no bench/gpu/.carry/model here: carry it"
  (cd "$CARRY/model" && sha256sum -c --quiet model.sha256) || die "model_gpu_fp16.onnx does not match model.sha256"
  rm -rf "$STAGE/app/dist" && untar_xz "$CARRY/model/dist.tar.xz" "$STAGE/app"
  mkdir -p "$RESULTS" "$STAGE/profile"
  if [ "$EP" = webgpu ]; then
    export LD_LIBRARY_PATH="$STAGE/vulkan${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
      if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$icd" ]; then export VK_DRIVER_FILES=$icd; fi
    done
    echo "Vulkan driver: ${VK_DRIVER_FILES:-none found; Dawn will report no adapter}"
    nvidia-smi -L 2>/dev/null || true
  fi
  local ort_json="$RESULTS/ort-$EP.json"
  # A failed section makes gpuBench exit 1 after the others ran; PyTorch still runs after it.
  "$STAGE/node" "$STAGE/app/dist/bench/gpu/gpuBench.js" --model "$CARRY/model/model_gpu_fp16.onnx" --data "$CARRY/model" \
    --ep "$EP" --batches "$BATCHES" --seq "$SEQ" --out "$ort_json" --profile-dir "$STAGE/profile" \
    --profile-batch "${PROFILE_BATCH:-128}" ${TEXTS:+--texts "$TEXTS"} || echo "run-gpu-bench: gpuBench exited $? (see FAILED lines above)"
  if [ "${SKIP_TORCH:-0}" = 1 ]; then echo "[torch] skipped (SKIP_TORCH=1)"; return; fi
  python3 "$HERE/torchBench.py" --config "$CARRY/model/config.json" --data "$CARRY/model" \
    --ort-results "$ort_json" --batches "$BATCHES" --seq "$SEQ" --out "$RESULTS/torch.json" ${TEXTS:+--texts "$TEXTS"}
}

case "${1:-}" in
  pack) pack ;;
  stage) stage ;;
  run) run ;;
  *) die "usage: $0 pack|stage|run (see the top of this file)" ;;
esac
