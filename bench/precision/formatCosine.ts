/**
 * Cosine to fp32 (mean, p1, min) of each vector format on corpus texts, using the model
 * directory's quantization.json. Run: `npx tsx bench/precision/formatCosine.ts [--count 1000]`
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config/loadConfig.js';
import { readCalibration } from '../../core/precision/calibrationFile.js';
import { VECTOR_FORMATS } from '../../core/precision/formats.js';
import { dequantize, quantize } from '../../core/precision/quantize.js';
import { cosine } from '../../core/vectorMath.js';
import { embedVectors, startBenchRuntime } from '../encoder/benchRuntime.js';
import { corpusTexts } from '../support/corpusTexts.js';
import { realModelDir } from './modelDir.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '1000' } } });
const dir = await realModelDir();
const calibration = await readCalibration(dir);
if (!calibration) throw new Error('run `embedline model calibrate` first');
const texts = await corpusTexts(Number(values.count));
const runtime = await startBenchRuntime(loadConfig(process.env), { variant: 'fp32' });
const vectors = await embedVectors(runtime, texts);
await runtime.close();
process.stdout.write('| format | mean | p1 | min |\n| --- | --- | --- | --- |\n');
for (const format of VECTOR_FORMATS) {
  const cos = vectors.map((v) => cosine(v, dequantize(quantize(v, format, calibration.ranges), calibration.ranges))).sort((a, b) => a - b);
  const mean = cos.reduce((a, b) => a + b, 0) / cos.length;
  process.stdout.write(`| ${format} | ${mean.toFixed(5)} | ${cos[Math.floor(cos.length / 100)]!.toFixed(5)} | ${cos[0]!.toFixed(5)} |\n`);
}
