import { App as CdkApp, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CircleCiEngine } from '../src/circleci';
import { CodePipelineEngine } from '../src/codepipeline';
import {
  Approver, ApprovalStep, CommandStep, FailureStrategy, GatePolicy, Pipeline, Source, Stage, StageKind, Step, ValidationIssue, validationIssuesOf,
} from '../src/core';
import { Bandit, Checkov, Gitleaks, PipAudit, Semgrep, Syft } from '../src/security';
import { TektonEngine } from '../src/tekton';

/**
 * Small models written once, rendered by both engines: either the engine's `check` lists issues
 * and the engine refuses with exactly those, or it renders, and no raw aws-cdk-lib or cdk8s
 * error escapes for a model the check accepted.
 */

const CONNECTION = 'arn:aws:codeconnections:eu-west-1:111111111111:connection/11111111-2222-3333-4444-555555555555';
const SOURCE = Source.gitHub({ owner: 'acme', repository: 'app' });

/** Names within the model's rules: short ones (which collide, as real names do) and up to 30 characters. */
const name = fc.oneof(
  { arbitrary: fc.constantFrom('build', 'test', 'scan', 'a', 'b', 'ok-1'), weight: 1 },
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,28}[a-z0-9]$/), weight: 4 },
);

const gate = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(FailureStrategy.FAIL, FailureStrategy.IGNORE, FailureStrategy.MANUAL_INTERVENTION).map(
    (failureStrategy) => new GatePolicy({ failureStrategy, interventionApprovers: failureStrategy === FailureStrategy.MANUAL_INTERVENTION ? [Approver.group('security')] : undefined }),
  ),
);

const approver = fc.oneof(
  name.map((n) => Approver.user(n)),
  name.map((n) => Approver.group(n)),
  name.map((n) => Approver.role(n)),
);

/** Catalog scans, each made with a name and a gate. */
const SCANS: Array<(name: string, gate?: GatePolicy) => Step> = [
  (n, g) => new Bandit({ name: n, gate: g }),
  (n, g) => new Semgrep({ name: n, gate: g }),
  (n, g) => new Gitleaks({ name: n, gate: g }),
  (n, g) => new PipAudit({ name: n, gate: g }),
  (n, g) => new Checkov({ name: n, gate: g }),
  (n, g) => new Syft({ name: n, gate: g }),
];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ name, timeoutMinutes: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }), allowFailure: fc.boolean() })
    .map((p) => new CommandStep({ ...p, commands: ['make'] })),
  fc
    .record({
      name,
      approvers: fc.array(approver, { minLength: 1, maxLength: 2 }),
      timeoutMinutes: fc.option(fc.integer({ min: 1, max: 10080 }), { nil: undefined }),
    })
    .map((p) => new ApprovalStep(p)),
  fc.record({ name, scan: fc.constantFrom(...SCANS), gate }).map(({ name: n, scan, gate: g }) => scan(n, g)),
);

const stage: fc.Arbitrary<Stage> = fc
  .record({
    name,
    kind: fc.constantFrom(...Object.values(StageKind)),
    steps: fc.oneof({ arbitrary: fc.array(step, { minLength: 1, maxLength: 3 }), weight: 9 }, { arbitrary: fc.constant<Step[]>([]), weight: 1 }),
    gate: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: gate, weight: 1 }),
  })
  .map((s) => new Stage({ ...s, environment: s.kind === StageKind.DEPLOY ? 'prod' : undefined }));

const model = fc.record({ name, stages: fc.array(stage, { minLength: 1, maxLength: 4 }) }).map((p) => new Pipeline({ ...p, source: SOURCE }));

/** What the engine did: refused with the issues of its error, or rendered. */
function outcome(render: () => void): ValidationIssue[] | 'rendered' {
  try {
    render();
    return 'rendered';
  } catch (e) {
    const issues = validationIssuesOf(e);
    if (issues === undefined) throw e; // a raw library error, or any error but the engine's own list
    return issues;
  }
}

function expectHonest(issues: ValidationIssue[], render: () => void): void {
  expect(outcome(render)).toEqual(issues.length > 0 ? issues : 'rendered');
}

test('CodePipeline: every small model is refused with exactly the issues check() lists, or renders without a raw aws-cdk-lib error', () => {
  fc.assert(
    fc.property(model, (p) => {
      const issues = CodePipelineEngine.check(p, { connectionArn: CONNECTION });
      expectHonest(issues, () => {
        const app = new CdkApp({ builtinCloudFormationValidation: false, context: { 'aws:cdk:disable-asset-staging': true } });
        const stack = new Stack(app, 'Fuzz');
        new CodePipelineEngine(stack, 'Engine', { pipeline: p, connectionArn: CONNECTION });
        Template.fromStack(stack);
      });
    }),
    { numRuns: 50 },
  );
});

test('Tekton: every small model is refused with exactly the issues check() lists, or renders and passes every Tekton rule', () => {
  fc.assert(
    fc.property(model, (p) => {
      const issues = TektonEngine.check(p);
      expectHonest(issues, () => {
        const chart = new Chart(Testing.app(), 'fuzz');
        new TektonEngine(chart, 'Tekton', { pipeline: p });
        Testing.synth(chart);
      });
    }),
    { numRuns: 50 },
  );
});

test('CircleCI: every small model is refused with exactly the issues check() lists, or renders a config that passes the schema and every rule', () => {
  fc.assert(
    fc.property(model, (p) => {
      const issues = CircleCiEngine.check(p);
      expectHonest(issues, () => {
        // the engine validates what it rendered and throws a plain error on any problem: none may escape
        new CircleCiEngine(p);
      });
    }),
    { numRuns: 50 },
  );
});
