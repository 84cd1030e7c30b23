"""fp16 weights and activations with fp32 graph inputs and outputs.

keep_io_types leaves the int64 token inputs and the float32 `last_hidden_state` as they are, so
the service's workers and mean pooling run unchanged on either variant; the converter inserts
one Cast at the output. Halving the weights and activations halves the bytes every GPU kernel
moves, which is what a memory-bound encoder of this size is limited by.
"""

from onnxruntime.transformers.onnx_model import OnnxModel


def to_half_precision(model: OnnxModel) -> None:
    model.convert_float_to_float16(keep_io_types=True)
