import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readConfig } from '../../lib/config.js';
import { EmbedlineStack } from '../../lib/embedline-stack.js';

/** A Docker image asset as the asset manifest records it: staged at synth, built only on deploy. */
export interface StagedImage {
  readonly file: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly platform: string | undefined;
}

/** What one synthesis of the app produced. */
export interface Synthesized {
  readonly template: Template;
  readonly images: readonly StagedImage[];
}

interface AssetManifest {
  dockerImages?: Record<string, { source: { dockerFile?: string; dockerBuildArgs?: Record<string, string>; platform?: string } }>;
}

// Same feature flags as `cdk synth`, so tests see the template that deploys.
const featureFlags = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: object }).context;
const cache = new Map<string, Synthesized>();

/**
 * Synthesizes the stack with extra context (as `-c key=value` would give), once per context.
 *
 * @example
 * const { template } = synth({ gpu: 'true' });
 * template.resourceCountIs('AWS::ECS::CapacityProvider', 1);
 */
export function synth(context: Record<string, string> = {}): Synthesized {
  const key = JSON.stringify(context);
  let result = cache.get(key);
  if (!result) {
    result = synthesize(context);
    cache.set(key, result);
  }
  return result;
}

function synthesize(context: Record<string, string>): Synthesized {
  // Staging copies the Docker context; a private outdir keeps repeated runs from filling /tmp.
  const outdir = mkdtempSync(join(tmpdir(), 'embedline-cdk-test-'));
  try {
    const app = new App({ outdir, context: { ...featureFlags, ...context } });
    const stack = new EmbedlineStack(app, 'Test', { config: readConfig(app.node) });
    const template = Template.fromStack(stack);
    app.synth();
    // The default synthesizer lists image assets in <stack>.assets.json, not in stack metadata.
    const manifest = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as AssetManifest;
    const images = Object.values(manifest.dockerImages ?? {}).map(({ source }) => ({
      file: source.dockerFile ?? 'Dockerfile',
      buildArgs: source.dockerBuildArgs ?? {},
      platform: source.platform,
    }));
    return { template, images };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
