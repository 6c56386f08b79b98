import { compliantPipeline, mutated } from './fixtures';
import { containerImage } from '../../examples/container-image/pipeline';
import { CommandStep, PipelineDocument, ScanCategory, Stage, GateSeverity } from '../../src/core';
import {
  ApprovalBeforeDeployRule,
  BoundedTimeoutsRule,
  CatalogScannersRule,
  GateBaselineRule,
  GateCanFailRule,
  GateMaxExemptionDaysRule,
  GateMaxFailOnRule,
  GateNoIgnoreRule,
  GateTrustedKeysRule,
  GateTrustedVexRule,
  ImageDigestRule,
  NoAllowFailureRule,
  NoPrivilegedRule,
  PolicyRule,
  RequiredScansRule,
  SecurityAfterBuildRule,
  SecurityBeforeDeployRule,
  SignedImagesRule,
} from '../../src/policy';

const paths = (rule: PolicyRule, doc: PipelineDocument) => rule.evaluate(doc).map((v) => v.path);
const base = () => compliantPipeline().toDocument();
// stage indexes of the compliant pipeline
const OAST = 2;
const PROD = 4;

interface Case {
  readonly rule: () => PolicyRule;
  readonly id: string;
  readonly breaks: (doc: any) => void;
  readonly at: string[];
}

const cases: Case[] = [
  {
    id: 'GH-SECURITY-AFTER-BUILD',
    rule: () => new SecurityAfterBuildRule(),
    // the security stage no longer runs after test: the test stage has nothing after it
    breaks: (d) => {
      d.pipeline.stages[OAST].kind = 'integration';
    },
    at: ['/pipeline/stages/0', '/pipeline/stages/1'],
  },
  {
    id: 'GH-SECURITY-BEFORE-DEPLOY',
    rule: () => new SecurityBeforeDeployRule(),
    // prod moved to start with the pipeline (after nothing)
    breaks: (d) => {
      d.pipeline.stages[PROD].after = ['build', 'test'];
    },
    at: ['/pipeline/stages/4'],
  },
  {
    id: 'GH-REQUIRED-SCANS',
    rule: () => new RequiredScansRule(),
    // the secrets scan is no longer gated (its gate and the stage gate removed)
    breaks: (d) => {
      delete d.pipeline.stages[OAST].gate;
      delete d.pipeline.stages[OAST].steps[0].gate;
    },
    at: ['/pipeline/stages'],
  },
  {
    id: 'GH-GATE-MAX-FAILON',
    rule: () => new GateMaxFailOnRule(),
    breaks: (d) => {
      d.pipeline.stages[OAST].steps[1].gate.failOn = 'critical';
      d.pipeline.stages[OAST].steps[2].gate.budgets = { high: 1000 };
      d.pipeline.stages[OAST].gate.unknownAs = 'low';
    },
    // (unknownAs high no longer fails a gate that fails on critical only)
    at: [
      '/pipeline/stages/2/gate/unknownAs',
      '/pipeline/stages/2/steps/1/gate/failOn',
      '/pipeline/stages/2/steps/1/gate/unknownAs',
      '/pipeline/stages/2/steps/2/gate/budgets/high',
    ],
  },
  {
    id: 'GH-GATE-CAN-FAIL',
    rule: () => new GateCanFailRule(),
    // gitleaks gives no severity (unknown, counted as high): a gate on critical never fails
    breaks: (d) => {
      d.pipeline.stages[OAST].steps[0].gate.failOn = 'critical';
    },
    at: ['/pipeline/stages/2/steps/0/gate/failOn'],
  },
  {
    id: 'GH-GATE-NO-IGNORE',
    rule: () => new GateNoIgnoreRule(),
    breaks: (d) => {
      d.pipeline.stages[OAST].steps[0].gate.failureStrategy = 'ignore';
    },
    at: ['/pipeline/stages/2/steps/0/gate/failureStrategy'],
  },
  {
    id: 'GH-NO-ALLOW-FAILURE',
    rule: () => new NoAllowFailureRule(),
    breaks: (d) => {
      d.pipeline.stages[OAST].steps[3].allowFailure = true;
    },
    at: ['/pipeline/stages/2/steps/3/allowFailure'],
  },
  {
    id: 'GH-APPROVAL-BEFORE-DEPLOY',
    rule: () => new ApprovalBeforeDeployRule({ groups: ['release-managers'] }),
    // a user may approve too: not by named groups only
    breaks: (d) => {
      d.pipeline.stages[3].steps[0].approvers.push({ kind: 'user', name: 'dev.bob' });
    },
    at: ['/pipeline/stages/4'],
  },
  {
    id: 'GH-IMAGE-DIGEST',
    rule: () => new ImageDigestRule(),
    breaks: (d) => {
      d.pipeline.stages[0].steps[0].image = 'python:3.12-slim';
      d.pipeline.gateImage = 'node:22';
      // an engine gate image that is not one of the engine's managed images counts; a managed one does not
      d.pipeline.engine = { name: 'tekton', cloneImage: 'gcr.io/tekton-releases/git-init:v0.40.2', gateImage: 'node:22', managedImages: ['aws/codebuild/amazonlinux2-x86_64-standard:5.0'] };
    },
    at: ['/pipeline/stages/0/steps/0/image', '/pipeline/gateImage', '/pipeline/engine/gateImage', '/pipeline/engine/cloneImage'],
  },
  {
    id: 'GH-NO-PRIVILEGED',
    rule: () => new NoPrivilegedRule(),
    breaks: (d) => {
      d.pipeline.stages[0].steps[0].privileged = true;
    },
    at: ['/pipeline/stages/0/steps/0/privileged'],
  },
  {
    id: 'GH-BOUNDED-TIMEOUTS',
    rule: () => new BoundedTimeoutsRule({ maxStepMinutes: 60, maxApprovalMinutes: 1440 }),
    breaks: (d) => {
      d.pipeline.stages[1].steps[0].timeoutMinutes = 600;
      d.pipeline.stages[3].steps[0].timeoutMinutes = 10080;
    },
    at: ['/pipeline/stages/1/steps/0/timeoutMinutes', '/pipeline/stages/3/steps/0/timeoutMinutes'],
  },
  {
    id: 'GH-GATE-TRUSTED-KEYS',
    rule: () => new GateTrustedKeysRule(),
    breaks: (d) => {
      d.pipeline.stages[OAST].gate.trustedKeys = { kind: 'inline', sha256: 'a'.repeat(64) };
      delete d.pipeline.stages[OAST].steps[0].gate.trustedKeys;
    },
    at: ['/pipeline/stages/2/gate/trustedKeys/kind', '/pipeline/stages/2/steps/0/gate'],
  },
  {
    id: 'GH-GATE-MAX-EXEMPTION-DAYS',
    rule: () => new GateMaxExemptionDaysRule({ maxDays: 30 }),
    breaks: (d) => {
      d.pipeline.stages[OAST].steps[1].gate.maxExemptionDays = 365;
    },
    at: ['/pipeline/stages/2/steps/1/gate/maxExemptionDays'],
  },
  {
    id: 'GH-GATE-TRUSTED-VEX',
    rule: () => new GateTrustedVexRule(),
    breaks: (d) => {
      d.pipeline.stages[OAST].steps[2].gate.vexFiles = ['.vex/openvex.json'];
    },
    at: ['/pipeline/stages/2/steps/2/gate/vexFiles/0'],
  },
  {
    id: 'GH-CATALOG-SCANNERS',
    rule: () => new CatalogScannersRule(),
    breaks: (d) => {
      d.pipeline.stages[OAST].steps[0].scanner = 'my-gitleaks';
    },
    at: ['/pipeline/stages/2/steps/0/scanner'],
  },
  {
    id: 'GH-GATE-BASELINE',
    rule: () => new GateBaselineRule(),
    breaks: (d) => {
      d.pipeline.stages[OAST].steps[0].gate.baseline = '.gatehouse/baseline.json';
      d.pipeline.stages[OAST].steps[0].gate.trustedKeys = { kind: 'inline', sha256: 'b'.repeat(64) };
    },
    at: ['/pipeline/stages/2/steps/0/gate/baseline'],
  },
];

describe.each(cases)('$id', ({ id, rule, breaks, at }) => {
  test('a compliant pipeline has no violation', () => {
    expect(rule().id).toBe(id);
    expect(paths(rule(), base())).toEqual([]);
  });
  test('a pipeline that breaks it is refused at the document path', () => {
    expect(paths(rule(), mutated(breaks)).sort()).toEqual([...at].sort());
  });
});

describe('GH-SIGNED-IMAGES', () => {
  const rule = new SignedImagesRule();
  test('the container-image example signs after the push and verifies before prod', () => {
    expect(paths(rule, containerImage().toDocument())).toEqual([]);
  });
  test('a pipeline that pushes and deploys without verifying is refused', () => {
    const doc = mutated((d) => {
      d.pipeline.stages[3].steps[0].signing = [];
    }, containerImage());
    expect(paths(rule, doc)).toEqual(['/pipeline/stages/3']);
  });
  test('a look-alike: `cosign verify` in a command step does not count', () => {
    const doc = mutated((d) => {
      d.pipeline.stages[3].steps[0].type = 'command';
      delete d.pipeline.stages[3].steps[0].category;
    }, containerImage());
    expect(paths(rule, doc)).toEqual(['/pipeline/stages/3']);
  });
  test('verifying before signing does not count', () => {
    // the sign step moves into the deploy stage, after the verify step
    const doc = mutated((d) => {
      const [sign] = d.pipeline.stages[2].steps.splice(1, 1);
      sign.runAfter = ['cosign-verify'];
      d.pipeline.stages[3].steps.push(sign);
    }, containerImage());
    expect(paths(rule, doc)).toEqual(['/pipeline/stages/3']);
  });
  test('a pipeline that pushes no image needs no signature', () => {
    expect(paths(rule, base())).toEqual([]);
  });
});

describe('rule options', () => {
  test('required categories are configurable and an image scan is required when an image is pushed', () => {
    const doc = mutated((d) => {
      d.pipeline.stages[0].steps[0].pushesImage = true;
    });
    expect(new RequiredScansRule({ categories: [ScanCategory.SECRETS, ScanCategory.IAC] }).evaluate(doc).map((v) => v.detail)).toEqual([
      'no gated iac scan',
      'no gated image scan',
    ]);
  });
  test('per-category failOn thresholds win over the default', () => {
    const doc = mutated((d) => {
      d.pipeline.stages[OAST].steps[0].gate.failOn = 'high';
    });
    const rule = new GateMaxFailOnRule({ categories: [{ category: ScanCategory.SECRETS, failOn: GateSeverity.LOW }] });
    // the secrets scan's own gate and the stage gate (which also decides over secrets)
    expect(paths(rule, doc).sort()).toEqual(['/pipeline/stages/2/gate/failOn', '/pipeline/stages/2/steps/0/gate/failOn']);
  });
  test('an approval inside the deploy stage counts only when every other step runs after it', () => {
    const p = compliantPipeline();
    const doc = mutated((d) => {
      const approval = d.pipeline.stages[3].steps[0];
      d.pipeline.stages.splice(3, 1);
      d.pipeline.stages[3].after = ['build', 'test', 'oast'];
      d.pipeline.stages[3].steps.unshift(approval);
    }, p);
    const rule = new ApprovalBeforeDeployRule();
    expect(paths(rule, doc)).toEqual(['/pipeline/stages/3']);
    const ordered = mutated((d) => {
      const approval = d.pipeline.stages[3].steps[0];
      d.pipeline.stages.splice(3, 1);
      d.pipeline.stages[3].after = ['build', 'test', 'oast'];
      d.pipeline.stages[3].steps[0].runAfter = ['approve'];
      d.pipeline.stages[3].steps.unshift(approval);
    }, p);
    expect(paths(rule, ordered)).toEqual([]);
  });
  test('no privileged step, built from the model', () => {
    const p = compliantPipeline();
    p.stage('build')!.addStep(new CommandStep({ name: 'dind', commands: ['docker build .'], privileged: true }));
    expect(paths(new NoPrivilegedRule(), p.toDocument())).toEqual(['/pipeline/stages/0/steps/1/privileged']);
  });
  test('a security stage declared after prod does not protect prod', () => {
    const p = compliantPipeline();
    const stages = p.stages;
    const moved = [stages[0], stages[1], stages[3], stages[4], stages[2]];
    const q = new (p.constructor as any)({ name: 'moved', source: p.source, defaults: { image: p.defaultImage }, stages: moved.map((s: Stage) => s) });
    expect(paths(new SecurityBeforeDeployRule(), q.toDocument())).toEqual(['/pipeline/stages/3']);
  });
});
