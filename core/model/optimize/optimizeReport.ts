/** The JSON report scripts/model-optimize/optimize.py prints: what the graph held and what was fused. */
export interface OptimizeReport {
  readonly source: { readonly path: string; readonly nodes: number; readonly ops: Readonly<Record<string, number>>; readonly nanGuardsRemoved: number };
  /** Fusions the onnxruntime transformer optimizer applied, e.g. `{ Attention: 6, BiasGelu: 6 }`. */
  readonly fused: Readonly<Record<string, number>>;
  readonly attentionNodesRewired: number;
  readonly variants: Readonly<Record<string, VariantReport>>;
}

export interface VariantReport {
  readonly path: string;
  readonly nodes: number;
  readonly ops: Readonly<Record<string, number>>;
  /** Operators with no WebGPU kernel in onnxruntime 1.30; the script fails when any remain. */
  readonly hostOnlyOps: readonly string[];
}
