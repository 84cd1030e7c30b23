"""Rewires every fused Attention node from a mask input to an additive attention bias.

The optimizer feeds Attention a `mask_index` (input 3). onnxruntime 1.30's WebGPU Attention
kernel rejects that at run time ("mask_index tensor not implemented for webgpu Attention") and
only takes `attention_bias` (input 5): a float tensor added to the scaled scores, shaped
(batch, heads, seq, seq). We compute it once from `attention_mask` and share it between layers:

    bias = Expand(Unsqueeze((1 - float(mask)) * -10000, axes=[1, 2]), [B, heads, S, S])

-10000 matches BERT's original masking and, unlike float32's lowest value, survives fp16
conversion as a finite number, so padded keys still get exactly zero weight after softmax.
The full head dimension is materialised rather than broadcast so the bias is valid for every
Attention code path (flash or tiled), whichever broadcasting each supports.
"""

from onnx import NodeProto, TensorProto, helper, numpy_helper
import numpy as np
from onnxruntime.transformers.onnx_model import OnnxModel

MASK_INPUT = "attention_mask"
BIAS = "attention_bias_from_mask"
MASKED_SCORE = -10000.0
ATTENTION_MASK_SLOT = 3
ATTENTION_BIAS_SLOT = 5


def mask_to_attention_bias(model: OnnxModel, num_heads: int) -> int:
    """Rewires the Attention nodes; returns how many were rewired."""
    attention = [n for n in model.model.graph.node if n.op_type == "Attention" and n.domain == "com.microsoft"]
    if not attention:
        return 0
    for node in attention:
        inputs = list(node.input) + [""] * (ATTENTION_BIAS_SLOT + 1 - len(node.input))
        inputs[ATTENTION_MASK_SLOT] = ""
        inputs[ATTENTION_BIAS_SLOT] = BIAS
        del node.input[:]
        node.input.extend(inputs)
        # mask_filter_value only applies to mask_index; the bias carries its own value.
        kept = [a for a in node.attribute if a.name != "mask_filter_value"]
        del node.attribute[:]
        node.attribute.extend(kept)
    # Added after the rewiring: topological_sort() rebuilds the node list, so node references
    # taken before it would be stale.
    _add_bias_subgraph(model, num_heads)
    # The optimizer's Cast(attention_mask -> int32) now feeds nothing.
    model.prune_graph()
    return len(attention)


def _add_bias_subgraph(model: OnnxModel, num_heads: int) -> None:
    def const(name: str, value: np.ndarray) -> str:
        model.add_initializer(numpy_helper.from_array(value, f"{BIAS}/{name}"))
        return f"{BIAS}/{name}"

    one = const("one", np.array(1.0, dtype=np.float32))
    masked = const("masked_score", np.array(MASKED_SCORE, dtype=np.float32))
    heads = const("heads", np.array([num_heads], dtype=np.int64))
    start0, end1, end2 = (const(n, np.array([v], dtype=np.int64)) for n, v in (("start0", 0), ("end1", 1), ("end2", 2)))
    p = f"{BIAS}/"
    nodes = [
        helper.make_node("Cast", [MASK_INPUT], [p + "mask"], to=TensorProto.FLOAT, name=p + "Cast"),
        helper.make_node("Sub", [one, p + "mask"], [p + "blocked"], name=p + "Sub"),
        helper.make_node("Mul", [p + "blocked", masked], [p + "scores"], name=p + "Mul"),
        _unsqueeze(model, p + "scores", p + "b11t", [1, 2], const),
        helper.make_node("Shape", [MASK_INPUT], [p + "bt"], name=p + "Shape"),
        helper.make_node("Slice", [p + "bt", start0, end1], [p + "b"], name=p + "SliceBatch"),
        helper.make_node("Slice", [p + "bt", end1, end2], [p + "t"], name=p + "SliceSeq"),
        helper.make_node("Concat", [p + "b", heads, p + "t", p + "t"], [p + "shape"], axis=0, name=p + "Concat"),
        helper.make_node("Expand", [p + "b11t", p + "shape"], [BIAS], name=p + "Expand"),
    ]
    model.add_nodes(nodes)
    model.topological_sort()


def _unsqueeze(model: OnnxModel, source: str, target: str, axes: list[int], const) -> NodeProto:
    # Unsqueeze took its axes as an attribute until opset 13 and as an input since.
    opset = next((o.version for o in model.model.opset_import if o.domain in ("", "ai.onnx")), 11)
    name = f"{BIAS}/Unsqueeze"
    if opset < 13:
        return helper.make_node("Unsqueeze", [source], [target], axes=axes, name=name)
    return helper.make_node("Unsqueeze", [source, const("axes", np.array(axes, dtype=np.int64))], [target], name=name)
