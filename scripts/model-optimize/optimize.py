"""Builds the GPU-ready variants of a BERT-family ONNX export (see docs/gpu.md).

    python optimize.py --source onnx/model.onnx --fp32-out onnx/model_gpu_fp32.onnx \
        --fp16-out onnx/model_gpu_fp16.onnx --num-heads 12 --hidden-size 384

Steps: strip NaN guards -> fuse (Attention, BiasGelu, SkipLayerNormalization) -> mask to
attention bias -> check every operator has a WebGPU kernel -> save fp32 -> convert to fp16
(fp32 inputs/outputs) -> check again -> save fp16. Prints one JSON report on stdout; exits 1
if a variant would still run an operator on the CPU EP.
"""

import argparse
import json
import os
import sys

import onnx
from onnxruntime.transformers.onnx_model import OnnxModel

from attention_bias import mask_to_attention_bias
from fuse import fuse_bert, fused_operator_counts
from graph_report import describe, op_counts
from half_precision import to_half_precision
from nan_guards import strip_nan_guards


def main() -> int:
    args = parse_args()
    source = onnx.load(args.source)
    report = {"source": {"path": args.source, "nodes": len(source.graph.node), "ops": op_counts(source)}}
    guarded = OnnxModel(source)
    report["source"]["nanGuardsRemoved"] = strip_nan_guards(guarded)

    fused = fuse_bert(guarded.model, args.num_heads, args.hidden_size)
    report["fused"] = fused_operator_counts(fused)
    report["attentionNodesRewired"] = mask_to_attention_bias(fused, args.num_heads)

    report["variants"] = {}
    ok = True
    if args.fp32_out:
        ok &= save_variant(fused, args.fp32_out, "gpu-fp32", report)
    if args.fp16_out:
        to_half_precision(fused)
        ok &= save_variant(fused, args.fp16_out, "gpu-fp16", report)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if ok else 1


def save_variant(model: OnnxModel, path: str, name: str, report: dict) -> bool:
    """Saves through a temporary file so an interrupted run never leaves a complete-looking model."""
    description = describe(model.model)
    report["variants"][name] = {"path": path, **description}
    if description["hostOnlyOps"]:
        sys.stderr.write(f"{name}: operators without a WebGPU kernel: {', '.join(description['hostOnlyOps'])}\n")
        return False
    partial = f"{path}.partial"
    try:
        model.save_model_to_file(partial, use_external_data_format=False)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return True


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True, help="the exported fp32 model (onnx/model.onnx)")
    parser.add_argument("--fp32-out", help="where to write the fused fp32 variant")
    parser.add_argument("--fp16-out", help="where to write the fused fp16 variant")
    parser.add_argument("--num-heads", type=int, required=True)
    parser.add_argument("--hidden-size", type=int, required=True)
    args = parser.parse_args()
    if not args.fp32_out and not args.fp16_out:
        parser.error("give --fp32-out, --fp16-out or both")
    return args


if __name__ == "__main__":
    sys.exit(main())
