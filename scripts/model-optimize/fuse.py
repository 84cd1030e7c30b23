"""Fuses the exported BERT graph into onnxruntime's contrib operators.

onnxruntime.transformers.optimizer recognises the exported subgraphs of a BERT layer and
replaces them with Attention (packed QKV MatMul + bias + scaled softmax + context), BiasGelu and
SkipLayerNormalization (residual Add + bias Add + LayerNorm), which cuts the graph from ~640
nodes to ~50 and removes the separate bias Adds and Transposes the GPU profile showed.
"""

from onnx import ModelProto
from onnxruntime.transformers import optimizer
from onnxruntime.transformers.fusion_options import AttentionMaskFormat, FusionOptions
from onnxruntime.transformers.onnx_model import OnnxModel


def fuse_bert(source: ModelProto, num_heads: int, hidden_size: int) -> OnnxModel:
    options = FusionOptions("bert")
    # EmbedLayerNormalization has no WebGPU kernel: leave the embeddings as Gather + Add +
    # LayerNormalization, which it has.
    options.enable_embed_layer_norm = False
    # A raw 2-D mask keeps one mask tensor shared by every Attention node; attention_bias.py then
    # turns it into the additive bias, the only mask form the WebGPU Attention kernel accepts.
    options.attention_mask_format = AttentionMaskFormat.AttentionMask
    # Exact erf GELU (BiasGelu), not the tanh approximation, so vectors stay those of the fp32 export.
    options.enable_gelu_approximation = False
    # opt_level=0: only the Python fusions, no onnxruntime graph passes that would bake
    # CPU-specific node layouts into the file.
    return optimizer.optimize_model(
        source,
        model_type="bert",
        num_heads=num_heads,
        hidden_size=hidden_size,
        optimization_options=options,
        opt_level=0,
        use_gpu=True,
    )


def fused_operator_counts(model: OnnxModel) -> dict[str, int]:
    """The optimizer's own tally of each fusion it applied (zeros left out)."""
    return {op: count for op, count in model.get_fused_operator_statistics().items() if count}
