import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { readConfig } from '../lib/config.js';
import { EmbedlineStack } from '../lib/embedline-stack.js';

interface Violation {
  readonly ruleName: string;
  readonly violatingConstructs: readonly { constructPath: string }[];
}
interface ValidationReport {
  readonly pluginReports: readonly { pluginName: string; violations: readonly Violation[] }[];
}
interface Acknowledged {
  readonly id: string;
  readonly reason: string;
}

const featureFlags = (JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context: object }).context;

/**
 * Synthesizes the stack with cdk-nag's AwsSolutions pack as a policy-validation plugin. Asset
 * staging is off: the findings are about the template, and copying the repo for each image
 * would take most of the run. Returns every finding not acknowledged in lib/, and the stack.
 */
function nag(context: Record<string, string>): { findings: string[]; stack: EmbedlineStack } {
  const outdir = mkdtempSync(join(tmpdir(), 'embedline-cdk-nag-'));
  try {
    const app = new App({ outdir, context: { ...featureFlags, ...context, 'aws:cdk:disable-asset-staging': true } });
    const stack = new EmbedlineStack(app, 'Nag', { config: readConfig(app.node) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    try {
      app.synth();
    } catch (error) {
      // A failed validation throws and leaves the report; any other error is the test's to show.
      if (!existsSync(join(outdir, 'validation-report.json'))) throw error;
    }
    const reportFile = join(outdir, 'validation-report.json');
    const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport) : { pluginReports: [] };
    const findings = report.pluginReports.flatMap((p) => p.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)));
    return { findings, stack };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Acknowledgements as CDK records them: construct metadata `{ [qualified rule id]: reason }`. */
function acknowledgements(root: IConstruct): Acknowledged[] {
  const entries = root.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY));
  return entries.flatMap((m) => Object.entries(m.data as Record<string, unknown>).map(([id, reason]) => ({ id, reason: String(reason ?? '') })));
}

describe('cdk-nag (AwsSolutions pack)', function () {
  this.timeout(300_000);

  for (const [name, context] of [['default: Lambda and Fargate workers', {}], ['gpu=true', { gpu: 'true' }], ['results queue', { resultsQueue: 'true' }], ['shared cache', { sharedCache: 'true' }], ['shared cache, GPU workers and results queue', { sharedCache: 'true', gpu: 'true', resultsQueue: 'true' }]] as const) {
    describe(name, () => {
      let result: ReturnType<typeof nag>;
      before(() => (result = nag(context)));

      it('leaves no finding unacknowledged', () => {
        expect(result.findings).to.deep.equal([]);
      });

      it('gives every acknowledgement a reason of at least a sentence', () => {
        const acks = acknowledgements(result.stack);

        expect(acks, 'acknowledgements found').to.not.be.empty;
        expect(acks.filter((a) => typeof a.reason !== 'string' || a.reason.length < 40).map((a) => a.id)).to.deep.equal([]);
      });
    });
  }
});
