"""Builds a statically quantized int8 variant (QDQ, per-channel weights) of a BERT-family export.

    python quantize_static.py --source onnx/model.onnx --out onnx/model_int8_static.onnx \
        --calibration tokens.jsonl [--batch 16] [--calibrate-method minmax] [--quantize-ffn-down] \
        [--exclude-node NAME ...]

--calibration holds one tokenized text per line, {"ids": [101, ..., 102]}, tokenized by the
production tokenizer (Embedline writes it), so calibration sees exactly what inference sees.

Steps: upgrade to opset 13 -> onnxruntime's quant_pre_process (ONNX shape inference + basic
graph optimization) -> quantize_static with QuantFormat.QDQ, per_channel=True, uint8 activations (asymmetric,
MinMax over the calibration batches), int8 weights (symmetric, one scale per output channel).
Only MatMuls with a constant weight are quantized (30 of 48): the two activation x activation
MatMuls of each attention head (Q.K^T and softmax.V) stay float, as do Softmax,
LayerNormalization and GELU, and so do the six feed-forward output MatMuls, whose GELU-output
input no single static range fits (--quantize-ffn-down quantizes them to measure that). Prints
one JSON report on stdout.
"""

import argparse
import collections
import json
import os
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import version_converter
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process


QDQ_OPSET = 13
CALIBRATION_METHODS = {"minmax": CalibrationMethod.MinMax, "percentile": CalibrationMethod.Percentile, "entropy": CalibrationMethod.Entropy}


class TokenizedTexts(CalibrationDataReader):
    """Feeds the calibration texts as padded batches, the way the encoder batches them."""

    def __init__(self, path: str, batch: int, input_names: list[str]):
        with open(path, encoding="utf-8") as handle:
            texts = [json.loads(line)["ids"] for line in handle if line.strip()]
        if not texts:
            raise ValueError(f"{path} holds no tokenized texts")
        # Similar lengths together, as the production batch planner groups them, so padding
        # does not dominate the activation ranges.
        texts.sort(key=len)
        self.count = len(texts)
        self.batches = iter([self.to_feed(texts[i : i + batch], input_names) for i in range(0, len(texts), batch)])

    @staticmethod
    def to_feed(group: list[list[int]], input_names: list[str]) -> dict:
        width = max(len(ids) for ids in group)
        ids = np.zeros((len(group), width), dtype=np.int64)
        mask = np.zeros((len(group), width), dtype=np.int64)
        for row, text in enumerate(group):
            ids[row, : len(text)] = text
            mask[row, : len(text)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return {name: feed[name] for name in input_names}

    def get_next(self):
        return next(self.batches, None)


def main() -> int:
    args = parse_args()
    args.source, args.out, args.calibration = (os.path.abspath(p) for p in (args.source, args.out, args.calibration))
    source = onnx.load(args.source)
    input_names = [i.name for i in source.graph.input]
    with tempfile.TemporaryDirectory() as work:
        # onnxruntime's quantization tools drop scratch files (sym_shape_infer_temp.onnx, 90 MB
        # external-data blobs named by UUID) into the working directory: keep them in ours.
        os.chdir(work)
        # Per-channel DequantizeLinear (its axis attribute) needs opset 13; the export is opset
        # 11, and quantize_static would otherwise write a graph ONNX Runtime refuses to load.
        upgraded = os.path.join(work, "opset13.onnx")
        onnx.save(version_converter.convert_version(source, QDQ_OPSET), upgraded)
        prepared = os.path.join(work, "prepared.onnx")
        # The export's Shape/Gather/Concat reshape chains defeat symbolic shape inference
        # ("Incomplete symbolic shape inference"); ONNX's own inference plus the basic graph
        # optimization is all quantize_static needs here.
        quant_pre_process(upgraded, prepared, skip_symbolic_shape=True, skip_optimization=False)
        kept_float = activation_only_matmuls(onnx.load(prepared))
        if not args.quantize_ffn_down:
            kept_float += ffn_down_matmuls(onnx.load(prepared))
        reader = TokenizedTexts(args.calibration, args.batch, input_names)
        partial = f"{args.out}.partial"
        try:
            quantize_static(
                prepared,
                partial,
                reader,
                quant_format=QuantFormat.QDQ,
                per_channel=True,
                activation_type=QuantType.QUInt8,
                weight_type=QuantType.QInt8,
                op_types_to_quantize=["MatMul"],
                nodes_to_exclude=[*args.exclude_node, *kept_float],
                calibrate_method=CALIBRATION_METHODS[args.calibrate_method],
                extra_options={"ActivationSymmetric": False, "WeightSymmetric": True},
            )
            os.replace(partial, args.out)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
    built = onnx.load(args.out)
    onnx.checker.check_model(built)
    ops = collections.Counter(node.op_type for node in built.graph.node)
    report = {
        "source": args.source,
        "path": args.out,
        "calibrationTexts": reader.count,
        "batch": args.batch,
        "calibrateMethod": args.calibrate_method,
        "quantizeFfnDown": args.quantize_ffn_down,
        "excludedNodes": args.exclude_node,
        "matMulsKeptFloat": len(kept_float),
        "nodes": len(built.graph.node),
        "ops": dict(sorted(ops.items())),
        # What ONNX Runtime's CPU EP runs after its QDQ fusions: QLinearMatMul /
        # MatMulIntegerToFloat mean int8 kernels, a DequantizeLinear -> MatMul pair means float.
        "cpuKernels": cpu_kernels(args.out),
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


def activation_only_matmuls(model: onnx.ModelProto) -> list[str]:
    """MatMuls whose B is computed, not a weight: attention's Q.K^T and softmax.V.

    The QDQ quantizer ignores the MatMulConstBOnly option (only the QOperator path reads it),
    so they are excluded by name.
    """
    constants = {init.name for init in model.graph.initializer}
    constants |= {out for node in model.graph.node if node.op_type == "Constant" for out in node.output}
    return [node.name for node in model.graph.node if node.op_type == "MatMul" and node.input[1] not in constants]


def ffn_down_matmuls(model: onnx.ModelProto) -> list[str]:
    """The feed-forward output projections (weight [intermediate, hidden]). Their input, the
    GELU output, has the longest tail of any activation: one static range over it cost mean
    cosine to fp32 0.927 -> 0.992 when kept float (docs/precision.md)."""
    shapes = {init.name: list(init.dims) for init in model.graph.initializer}
    return [
        node.name
        for node in model.graph.node
        if node.op_type == "MatMul" and len(shapes.get(node.input[1], [])) == 2 and shapes[node.input[1]][0] > shapes[node.input[1]][1]
    ]


def cpu_kernels(path: str) -> dict:
    with tempfile.TemporaryDirectory() as work:
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.optimized_model_filepath = os.path.join(work, "optimized.onnx")
        ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        optimized = onnx.load(options.optimized_model_filepath)
    return dict(sorted(collections.Counter(node.op_type for node in optimized.graph.node).items()))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True, help="the exported fp32 model (onnx/model.onnx)")
    parser.add_argument("--out", required=True, help="where to write the static int8 variant")
    parser.add_argument("--calibration", required=True, help='JSONL of tokenized texts, {"ids": [...]} per line')
    parser.add_argument("--batch", type=int, default=16, help="texts per calibration batch")
    parser.add_argument("--calibrate-method", choices=sorted(CALIBRATION_METHODS), default="minmax")
    parser.add_argument("--quantize-ffn-down", action="store_true", help="quantize the feed-forward output MatMuls too (kept float by default)")
    parser.add_argument("--exclude-node", action="append", default=[], help="a node name to keep in float (repeatable)")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
