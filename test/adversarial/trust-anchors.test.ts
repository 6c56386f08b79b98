/**
 * Trust anchors never come from the repository being judged: on every engine, the files the gate
 * reads as trusted (keys, VEX, the stored baseline) are absolute paths outside the source tree that
 * the engine fills from the definition or the platform's store; the only repository files a gate
 * reads besides the reports (exemptions, VEX, baseline) apply only with an approver's signature.
 * A developer who commits `.gatehouse/trusted-keys.yaml` mapping an approver to their own key
 * changes nothing.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { parse as parseYaml } from 'yaml';
import { exampleApp } from '../../examples/django-devsecops/codepipeline';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { GatePolicy, Pipeline, Source, Stage, TrustSource } from '../../src/core';
import { Bandit, Safety } from '../../src/security';
import { render as renderCodePipeline } from '../codepipeline/helpers';
import { render as renderTekton } from '../tekton/helpers';

const TRUST_OPTIONS = ['--trusted-keys', '--trusted-vex', '--trusted-baseline'];
const SIGNED_REPOSITORY_OPTIONS = ['--exemptions', '--vex', '--baseline'];

/** Every `gatehouse gate` argument list in a text (a buildspec, a Tekton script). */
function gateCommands(text: string): string[][] {
  return [...text.matchAll(/node "\$gate(?:_js)?" (gate [^\n]*)/g)].map((m) => m[1].split(' '));
}

/** The option → values map of one gate argument list, up to `--`. */
function options(args: string[]): Map<string, string[]> {
  const end = args.indexOf('--');
  expect(end).toBeGreaterThan(0);
  const out = new Map<string, string[]>();
  for (let i = 1; i < end; i++) {
    if (args[i].startsWith('--') && args[i + 1] !== undefined && !args[i + 1].startsWith('--')) {
      out.set(args[i], [...(out.get(args[i]) ?? []), args[i + 1]]);
      i++;
    }
  }
  return out;
}

function expectTrustOutsideSource(commands: string[][], expected: string[]): void {
  expect(commands.length).toBeGreaterThan(0);
  for (const args of commands) {
    const opts = options(args);
    for (const o of expected) expect(opts.has(o)).toBe(true);
    for (const o of TRUST_OPTIONS) {
      for (const v of opts.get(o) ?? []) expect(v).toMatch(/^\/(tmp|gatehouse)\//);
    }
    // every other file option names a repository file only where a signature is checked
    for (const [o, values] of opts) {
      if (values.some((v) => v.startsWith('.gatehouse/') && !v.startsWith('.gatehouse/gate/'))) {
        expect(SIGNED_REPOSITORY_OPTIONS).toContain(o);
      }
    }
  }
}

/** The gate argument lists of every CodeBuild buildspec of a template. */
function buildspecGates(template: Template): string[][] {
  return Object.values(template.findResources('AWS::CodeBuild::Project'))
    .map((p: any) => strings(p.Properties.Source.BuildSpec).join(''))
    .flatMap((b) => gateCommands(((parseYaml(b)?.phases?.build?.commands ?? []) as string[]).join('\n')));
}

/** The literal text of a value that may be a CloudFormation Fn::Join of strings and tokens. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') {
    const join = (v as any)['Fn::Join'];
    if (join) return strings(join[1]);
    return ['TOKEN'];
  }
  return [];
}

/** A pipeline with every kind of trust anchor a gate can have. */
function anchored(trust: TrustSource, vex: TrustSource): Pipeline {
  const gate = new GatePolicy({
    exemptionsFile: '.gatehouse/exemptions.yaml',
    exemptionApprovers: ['sec.priya'],
    trustedKeys: trust,
    trustedVex: [vex],
    vexFiles: ['.gatehouse/app.vex.json'],
  });
  return new Pipeline({
    name: 'svc',
    source: Source.gitHub({ owner: 'acme', repository: 'svc', branch: 'main' }),
    stages: [Stage.securityStage('sec', { gate, steps: [new Bandit({ gate }), new Safety({ gate })] })],
  });
}

describe('trusted keys are never a file of the repository', () => {
  test('the model refuses a repository file as trusted keys', () => {
    expect(() => new GatePolicy({ trustedKeysFile: '.gatehouse/trusted-keys.yaml' } as any)).toThrow(/may not choose its own trusted keys/);
  });

  test('CodePipeline: every gate reads its trust files from its own folder outside the source tree', () => {
    const { template } = renderCodePipeline(anchored(TrustSource.ssmParameter('/platform/keys'), TrustSource.inline('{"@context":"https://openvex.dev/ns/v0.2.0"}')));
    expectTrustOutsideSource(buildspecGates(template), ['--trusted-keys', '--trusted-vex']);
  });

  test('Tekton: every gate reads its trust files from a read-only mount outside the source workspace', () => {
    const { manifests } = renderTekton(anchored(TrustSource.configMap('platform-keys', 'keys'), TrustSource.kubernetesSecret('platform-vex', 'vex.json')));
    const steps = manifests
      .filter((m) => m.kind === 'Pipeline')
      .flatMap((p) => [...p.spec.tasks, ...(p.spec.finally ?? [])])
      .flatMap((t) => t.taskSpec?.steps ?? [])
      .filter((s: any) => String(s.script ?? '').includes('gatehouse.js') || String(s.script ?? '').includes('"$gate"'));
    expectTrustOutsideSource(steps.flatMap((s: any) => gateCommands(s.script)), ['--trusted-keys', '--trusted-vex']);
    for (const s of steps.filter((x: any) => gateCommands(x.script).length > 0)) {
      const trust = (s.volumeMounts ?? []).find((v: any) => v.mountPath === '/gatehouse/trust');
      expect(trust).toEqual(expect.objectContaining({ readOnly: true }));
    }
  });

  test('the seed example on both engines: the approvers\' keys come from the definition', () => {
    const { stack } = exampleApp({ nag: false });
    expectTrustOutsideSource(buildspecGates(Template.fromStack(stack)), ['--trusted-keys', '--pipeline']);
    const { manifests } = renderTekton(djangoDevSecOps());
    const scripts = manifests.filter((m) => m.kind === 'Pipeline').flatMap((p) => p.spec.tasks).flatMap((t: any) => t.taskSpec?.steps ?? []).map((s: any) => String(s.script ?? ''));
    expectTrustOutsideSource(scripts.flatMap(gateCommands), ['--trusted-keys', '--pipeline']);
  });
});
