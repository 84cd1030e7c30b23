/** A span as the OTLP/HTTP JSON exporter sends it (the fields the tests read). */
export interface OtlpSpan {
  readonly name: string;
  /** Hex, as the JSON encoding writes ids. */
  readonly traceId: string;
  readonly parentSpanId?: string;
  readonly attributes?: readonly { key: string; value: { stringValue?: string } }[];
}

/** Every span in the bodies an OTLP receiver collected. */
export function spansIn(bodies: readonly string[]): OtlpSpan[] {
  return bodies.flatMap((body) => (JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
}

export function spanAttribute(span: OtlpSpan, key: string): string | undefined {
  return span.attributes?.find((a) => a.key === key)?.value.stringValue;
}
