import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { exampleApp, STACK_NAME, synth } from '../../examples/django-devsecops/codepipeline';

/** The pack, with acknowledgments ignored: every finding cdk-nag would raise. */
class RawAwsSolutionsChecks extends AwsSolutionsChecks {
  constructor() {
    super();
    (this as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  }
}

/**
 * A template made easy to review: `Ref`, `Fn::GetAtt` and `Fn::Join` become `${...}` strings (as
 * `Fn::Sub` writes them) and asset hashes are masked (image digests stay: they are reviewed).
 */
function reviewable(value: any): any {
  if (Array.isArray(value)) return value.map(reviewable);
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string' && Object.keys(value).length === 1) return `\${${value.Ref}}`;
    if (Array.isArray(value['Fn::GetAtt'])) return `\${${value['Fn::GetAtt'].join('.')}}`;
    if (Array.isArray(value['Fn::Join'])) {
      const parts = value['Fn::Join'][1].map(reviewable);
      if (parts.every((p: unknown) => typeof p === 'string')) return maskText(parts.join(value['Fn::Join'][0]));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviewable(v)]));
  }
  return typeof value === 'string' ? maskText(value) : value;
}

function maskText(text: string): string {
  return text.replace(/(?<!@sha256:)[0-9a-f]{64}/g, '<asset-hash>');
}

/** `rule id → construct paths` of every acknowledgment recorded in a tree. */
function acknowledgments(root: IConstruct): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const id of Object.keys(m.data as object)) {
        const rule = id.replace(/^annotation::/i, '');
        out.set(rule, [...(out.get(rule) ?? []), c.node.path]);
      }
    }
  }
  return out;
}

describe('the django-devsecops example on CodePipeline', () => {
  test('cdk-nag AwsSolutions reports 0 unsuppressed findings on the pipeline stack', () => {
    // GIVEN
    const { app } = exampleApp({ nag: false });
    // WHEN
    const report = new AwsSolutionsChecks().validateScope(app);
    // THEN
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('every acknowledgment is narrow, has a reason and silences a finding that exists', () => {
    // GIVEN
    const { app } = exampleApp({ nag: false });
    // WHEN the pack runs with acknowledgments ignored
    const raw = new RawAwsSolutionsChecks().validateScope(app).violations;
    const acks = acknowledgments(app);
    // THEN each raw finding is acknowledged on one of its constructs' ancestors, and nothing more is
    expect(raw.length).toBeGreaterThan(0);
    for (const v of raw) {
      const at = acks.get(v.ruleName);
      expect({ rule: v.ruleName, acknowledged: at !== undefined }).toEqual({ rule: v.ruleName, acknowledged: true });
      for (const r of v.violatingResources) {
        const where = r.constructPath ?? '';
        expect(at!.some((p) => where === p || where.startsWith(`${p}/`))).toBe(true);
      }
    }
    expect([...acks.keys()].sort()).toEqual([...new Set(raw.map((v) => v.ruleName))].sort());
    // IAM5 is acknowledged per finding (cdk-nag 3's appliesTo), never as a whole rule: the
    // pipeline's own artifacts (pipeline role), one artifact's prefix (a build role), a gate's own
    // summary, the gates' summaries (approvers) and a build's report export or cache folder
    const iam5 = [...acks.keys()].filter((k) => k.startsWith('AwsSolutions-IAM5'));
    expect(iam5).toContainEqual(expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<PipelineArtifacts\w+\.Arn>\/django-devsecops\/\*\]$/));
    expect(iam5).not.toContainEqual(expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<PipelineArtifacts\w+\.Arn>\/\*\]$/));
    for (const k of iam5) {
      expect(k).toMatch(
        /^AwsSolutions-IAM5\[Resource::(\*|<PipelineArtifacts\w+\.Arn>\/(django-devsecops\/((Source|[a-z][0-9a-f]{9})\/)?\*|gatehouse\/\*(\/[a-z0-9-]+\/gatehouse\.(md|html))?|(test-reports|cache)\/[a-z0-9@/-]+\/\*))\]$/,
      );
    }
    for (const c of app.node.findAll()) {
      for (const m of c.node.metadata.filter((x) => x.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
        for (const reason of Object.values(m.data as Record<string, string>)) {
          expect(String(reason).length).toBeGreaterThan(40);
        }
      }
    }
  });

  test('the pipeline stack template matches the reviewed snapshot', () => {
    // GIVEN
    const { stack } = exampleApp({ nag: false });
    // WHEN
    const template = Template.fromStack(stack).toJSON();
    // THEN no bootstrap-version rule, and any asset hash masked
    expect(template.Rules).toBeUndefined();
    expect(template.Parameters).toBeUndefined();
    expect(YAML.stringify(reviewable(template), { lineWidth: 0 })).toMatchSnapshot();
  });

  test('synth writes a cloud assembly, and built-in template validation reports 0 issues', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-example-'));
    try {
      // WHEN (validation on: the one test that pays for it)
      const lines = synth(outdir);
      // THEN
      const templateFile = path.join(outdir, `${STACK_NAME}.template.json`);
      expect(fs.existsSync(templateFile)).toBe(true);
      expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
      const violations = report.pluginReports.flatMap((r: { violations: unknown[] }) => r.violations);
      expect(violations).toEqual([]);
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^stack ${STACK_NAME}: .*${STACK_NAME}\\.template\\.json$`)),
        'CodePipeline stages: Source → Trigger → build → test → oast → integration → approval → prod',
        '13 CodeBuild projects, 1 manual approval action(s), 65 resources',
        expect.stringMatching(/^cdk-nag AwsSolutions: 0 unsuppressed errors \(\d+ acknowledged findings, each with its reason\)$/),
        'aws-cdk-lib template validation: 0 issues',
      ]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
