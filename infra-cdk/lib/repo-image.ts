import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IgnoreMode } from 'aws-cdk-lib';
import { Platform, type DockerImageAssetOptions } from 'aws-cdk-lib/aws-ecr-assets';

/** The Embedline repository root: the Docker build context of every image. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Asset options for an image built from a Dockerfile at the repository root.
 * CDK only stages the context at synth time; the image is built by `cdk deploy`.
 */
export function repoImage(file: string, buildArgs: Record<string, string> = {}): DockerImageAssetOptions {
  return {
    file,
    buildArgs,
    // onnxruntime-node ships x64 and arm64 binaries; x64 matches the g5/g6 GPU hosts, so one image recipe fits all.
    platform: Platform.LINUX_AMD64,
    ignoreMode: IgnoreMode.GIT,
    exclude: contextExcludes(),
  };
}

/**
 * The repository's .gitignore plus what only the CDK app needs. Reusing .gitignore keeps
 * node_modules, local models and dist/ out of the context (the image builds its own),
 * so staging is fast and the asset hash changes only when sources do.
 */
function contextExcludes(): string[] {
  const gitignore = readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return [...gitignore, '.git', 'infra-cdk', 'dist'];
}
