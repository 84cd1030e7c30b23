"""Which operators the WebGPU execution provider of onnxruntime 1.30 has kernels for.

Any other operator runs on the CPU EP, and ORT copies its inputs back to the host and its
outputs up again: one `IsNaN` per layer was enough to make the transformers export spend 64% of
its time in host<->GPU copies. The list was read from the run-time type names of the kernel
classes in onnxruntime-node 1.30's libonnxruntime.so (namespaces onnxruntime::webgpu and
onnxruntime::contrib::webgpu) and checked against the EP's registration tables in the
onnxruntime sources. Keep it in step when onnxruntime-node is upgraded.
"""

ONNX_DOMAIN = ""
MS_DOMAIN = "com.microsoft"

WEBGPU_OPS: dict[str, frozenset[str]] = {
    ONNX_DOMAIN: frozenset("""
        Abs Acos Acosh Add And ArgMax ArgMin Asin Asinh Atan Atanh AveragePool BatchNormalization
        Cast Ceil Clip Concat Conv ConvTranspose Cos Cosh CumSum DepthToSpace DequantizeLinear Div
        Einsum Elu Equal Erf Exp Expand Flatten Floor GRU Gather GatherElements GatherND Gelu Gemm
        Greater GreaterOrEqual HardSigmoid HardSwish Identity If
        InstanceNormalization LayerNormalization LeakyRelu Less LessOrEqual Log LpNormalization LSTM
        MatMul Max MaxPool Min Mul Neg Not Pad Pow PRelu Range Reciprocal ReduceL1 ReduceL2
        ReduceLogSum ReduceLogSumExp ReduceMax ReduceMean ReduceMin ReduceProd ReduceSum
        ReduceSumSquare Relu Reshape Resize RMSNormalization RotaryEmbedding ScatterElements
        ScatterND Shape Sigmoid SimplifiedLayerNormalization Sin Sinh Slice Softmax Softplus Split
        Sqrt Squeeze Sub Tan Tanh ThresholdedRelu Tile TopK Transpose Trilu Unsqueeze Upsample Where
    """.split()),
    MS_DOMAIN: frozenset("""
        Attention BiasAdd BiasGelu BiasSplitGelu FastGelu FusedConv Gelu GatherBlockQuantized
        GroupQueryAttention MatMulNBits MultiHeadAttention QuickGelu RotaryEmbedding
        SkipLayerNormalization SkipSimplifiedLayerNormalization
    """.split()),
}

# Turned into initializers when the session loads; never executed by any EP.
FOLDED_AT_LOAD = frozenset({"Constant"})


def host_only_ops(op_types: set[tuple[str, str]]) -> list[str]:
    """The (domain, op) pairs of a graph that would fall back to the CPU EP, as `domain:op`.

    Only operator types are compared, not data types: small int64 shape arithmetic (Shape,
    Gather, Slice on shapes) is placed on the CPU by ORT on purpose and moves no activations.
    """
    return sorted(
        f"{domain or 'ai.onnx'}:{op}"
        for domain, op in op_types
        if op not in FOLDED_AT_LOAD and op not in WEBGPU_OPS.get(domain, frozenset())
    )
