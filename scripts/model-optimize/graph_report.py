"""What a graph is made of, for the report `embedline model optimize` prints."""

from collections import Counter

from onnx import ModelProto

from webgpu_ops import host_only_ops


def op_counts(model: ModelProto) -> dict[str, int]:
    counts = Counter(f"{n.domain or 'ai.onnx'}:{n.op_type}" for n in model.graph.node)
    return dict(counts.most_common())


def describe(model: ModelProto) -> dict:
    return {
        "nodes": len(model.graph.node),
        "ops": op_counts(model),
        "hostOnlyOps": host_only_ops({(n.domain, n.op_type) for n in model.graph.node}),
    }
