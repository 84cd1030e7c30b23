/**
 * A one-node ONNX model, `C = MatMul(A, B)` with fixed fp32 shapes, written straight as protobuf
 * bytes: the format needs only varints and length-delimited fields here, so the FLOP-ceiling
 * benchmark runs without Python or an `onnx` package.
 *
 * @example
 * const bytes = matMulModel(2048, 2048, 2048); // A: [2048, 2048] · B: [2048, 2048]
 * const session = await InferenceSession.create(bytes, { intraOpNumThreads: 2 });
 */

const VARINT = 0;
const BYTES = 2;
const FLOAT32 = 1; // TensorProto.DataType.FLOAT
const IR_VERSION = 8;
const OPSET = 13;

/** Field numbers from onnx.proto3. */
const MODEL = { irVersion: 1, producerName: 2, graph: 7, opsetImport: 8 } as const;
const GRAPH = { node: 1, name: 2, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, opType: 4 } as const;

export function matMulModel(m: number, k: number, n: number): Uint8Array {
  const node = concat(str(NODE.input, 'A'), str(NODE.input, 'B'), str(NODE.output, 'C'), str(NODE.opType, 'MatMul'));
  const graph = concat(
    field(GRAPH.node, node),
    str(GRAPH.name, 'matmul'),
    field(GRAPH.input, tensorInfo('A', [m, k])),
    field(GRAPH.input, tensorInfo('B', [k, n])),
    field(GRAPH.output, tensorInfo('C', [m, n])),
  );
  const opset = concat(str(1, ''), int(2, OPSET));
  return concat(int(MODEL.irVersion, IR_VERSION), str(MODEL.producerName, 'embedline-bench'), field(MODEL.graph, graph), field(MODEL.opsetImport, opset));
}

/** ValueInfoProto { name, type: TypeProto { tensor_type { elem_type, shape { dim { dim_value } } } } }. */
function tensorInfo(name: string, dims: readonly number[]): Uint8Array {
  const shape = concat(...dims.map((d) => field(1, int(1, d))));
  const tensorType = concat(int(1, FLOAT32), field(2, shape));
  return concat(str(1, name), field(2, field(1, tensorType)));
}

function int(fieldNumber: number, value: number): Uint8Array {
  return concat(varint((fieldNumber << 3) | VARINT), varint(value));
}

function str(fieldNumber: number, value: string): Uint8Array {
  return field(fieldNumber, new TextEncoder().encode(value));
}

function field(fieldNumber: number, payload: Uint8Array): Uint8Array {
  return concat(varint((fieldNumber << 3) | BYTES), varint(payload.length), payload);
}

function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
