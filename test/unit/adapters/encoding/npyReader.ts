/**
 * A deliberately small .npy 1.0 reader written from the format description (numpy's
 * `format.py` docs), independent of the writer, so the tests check the bytes rather than the
 * writer against itself.
 */
export interface ParsedNpy {
  readonly version: [number, number];
  readonly headerText: string;
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
  /** Byte offset where the array data starts. */
  readonly dataOffset: number;
  readonly data: Buffer;
}

export function readNpy(file: Buffer): ParsedNpy {
  if (file.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new Error('bad magic');
  const version: [number, number] = [file[6]!, file[7]!];
  const headerLength = file.readUInt16LE(8);
  const headerText = file.subarray(10, 10 + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(headerText)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(headerText)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(headerText)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`unparsable header ${JSON.stringify(headerText)}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const dataOffset = 10 + headerLength;
  return { version, headerText, descr, fortranOrder: fortran === 'True', shape, dataOffset, data: file.subarray(dataOffset) };
}

/** The float32 values of a '<f4' array, read element by element as little-endian. */
export function float32Rows(npy: ParsedNpy): number[][] {
  const [rows = 0, cols = 0] = npy.shape;
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => npy.data.readFloatLE((r * cols + c) * 4)));
}
