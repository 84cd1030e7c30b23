"""Removes `Where(IsNaN(x), 0, x)` guards around attention softmax.

Some transformers exports wrap each softmax this way. IsNaN has no WebGPU kernel, so every layer
then round-trips its attention probabilities through host memory; on an H100 that left the GPU
about 25% busy. A softmax over finite scores cannot produce NaN, so the guard is a no-op for
inference. The pattern also hides the softmax from the attention fusion, so it goes first.
"""

from onnxruntime.transformers.onnx_model import OnnxModel


def strip_nan_guards(model: OnnxModel) -> int:
    """Bypasses every Where whose condition is IsNaN(x) and whose false branch is that same x."""
    stripped = 0
    for where in [n for n in model.model.graph.node if n.op_type == "Where"]:
        condition = model.get_parent(where, 0)
        if condition is None or condition.op_type != "IsNaN" or condition.input[0] != where.input[2]:
            continue
        if any(output.name == where.output[0] for output in model.model.graph.output):
            raise ValueError(f"{where.name} produces a graph output; not rewriting it")
        model.replace_input_of_all_nodes(where.output[0], where.input[2])
        model.remove_node(where)
        stripped += 1
    if stripped:
        model.prune_graph()
    return stripped
