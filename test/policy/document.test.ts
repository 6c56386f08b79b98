import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import {
  Approver,
  ApprovalStep,
  CommandStep,
  DocumentApprover,
  DocumentBudgets,
  DocumentChainsResult,
  DocumentDefaults,
  DocumentEngine,
  DocumentGate,
  DocumentPipeline,
  DocumentPlatformForm,
  DocumentPolicy,
  DocumentSecret,
  DocumentSecurityContextException,
  DocumentSource,
  DocumentStage,
  DocumentStep,
  DocumentStepFailure,
  DocumentTrigger,
  DocumentTrustSource,
  DocumentWaiver,
  FailureStrategy,
  GatePolicy,
  GateSeverity,
  OnFailure,
  Pipeline,
  PipelineDocument,
  PipelineDocumentJson,
  PlatformForm,
  RunCondition,
  ScanCategory,
  ScanStep,
  SecurityContextException,
  SecurityContextNeed,
  Source,
  Stage,
  StageKind,
  StepPlatform,
  Trigger,
  TriggerKind,
  PullRequestEvent,
  TrustSource,
} from '../../src/core';
import { PIPELINE_DOCUMENT_SCHEMA, pipelineDocumentProblems } from '../../src/policy';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** Every pipeline factory of examples/<name>/pipeline.ts, called with its defaults. */
function examplePipelines(): Array<[string, Pipeline]> {
  const out: Array<[string, Pipeline]> = [];
  for (const dir of fs.readdirSync(EXAMPLES, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const file = path.join(EXAMPLES, dir.name, 'pipeline.ts');
    if (!fs.existsSync(file)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file);
    for (const [name, fn] of Object.entries(mod)) {
      // the example's pipeline factories (a module may also export helpers, e.g. trigger lists)
      if (typeof fn !== 'function') continue;
      const made = (fn as () => unknown)();
      if (made instanceof Pipeline) out.push([`${dir.name}/${name}`, made]);
    }
  }
  return out;
}

/** A pipeline that uses every field the document has. */
function everyField(): Pipeline {
  const gate = new GatePolicy({
    failOn: GateSeverity.MEDIUM,
    budgets: { critical: 0, high: 0, medium: 1, low: 10, info: 100 },
    unknownAs: GateSeverity.CRITICAL,
    exemptionsFile: '.gatehouse/exemptions.yaml',
    exemptionApprovers: ['sec.priya'],
    trustedKeys: TrustSource.inline('-----BEGIN PUBLIC KEY-----\nSECRET-ISH-INLINE\n-----END PUBLIC KEY-----\n'),
    maxExemptionDays: 14,
    vexFiles: ['.vex/a.json'],
    trustedVex: [TrustSource.configMap('platform-vex', 'vex.json'), TrustSource.inline('{"inline":"vex"}')],
    baseline: '.gatehouse/baseline.json',
    newOnly: true,
    failureStrategy: FailureStrategy.MANUAL_INTERVENTION,
    interventionApprovers: [Approver.user('sec.marco'), Approver.group('appsec')],
    interventionTimeoutMinutes: 60,
  });
  const p = new Pipeline({
    name: 'every-field',
    source: Source.gitHub({ owner: 'acme', repository: 'app', branch: 'release' }),
    defaults: { image: 'img@sha256:' + '1'.repeat(64), env: { LOG: 'hunter2-plain-value' }, timeoutMinutes: 20 },
    triggers: [
      Trigger.push({ branches: ['release'], branchesExclude: ['release/old*'], filePaths: ['src/**'], filePathsExclude: ['docs/**'] }),
      Trigger.push({ tags: ['v*'], tagsExclude: ['v0.*'] }),
      Trigger.pullRequest({
        events: [PullRequestEvent.OPENED, PullRequestEvent.CLOSED],
        targetBranchesExclude: ['legacy'],
        sourceBranches: ['feature/*'],
        sourceBranchesExclude: ['feature/wip*'],
        filePaths: ['src/**'],
        filePathsExclude: ['*.md'],
      }),
      Trigger.schedule({ name: 'nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin' }),
      Trigger.manual({ startedBy: [Approver.role('release-managers'), Approver.user('alice')] }),
    ],
    stages: [
      Stage.buildStage('build', {
        steps: [
          new CommandStep({
            name: 'image',
            commands: ['docker push registry/app:1'],
            secrets: [{ variable: 'TOKEN', secretName: 'registry', key: 'token' }],
            outputs: [{ name: 'bin', paths: ['bin/'] }],
            retries: 2,
            privileged: true,
          }),
        ],
      }),
      Stage.securityStage('scan', {
        requires: ['build'],
        gate: new GatePolicy({ storedBaseline: true, trustedKeys: TrustSource.kubernetesSecret('keys', 'pem') }),
        steps: [
          new ScanStep({
            name: 'sign',
            scanner: 'cosign',
            category: ScanCategory.SUPPLY_CHAIN,
            commands: ['cosign sign --yes "$ref"', 'cosign verify-attestation "$ref"'],
            reports: [{ name: 'r', paths: ['r.json'] }],
            findingsReports: ['r.json'],
            findingsFormats: ['cosign-json'],
            chainsResults: [{ name: 'IMAGE_DIGEST', path: '.gatehouse/results/sign/IMAGE_DIGEST' }],
            maxSeverity: GateSeverity.HIGH,
            unknownSeverity: false,
            inputs: ['bin'],
            gate,
          }),
        ],
      }),
      Stage.deployStage('prod', {
        environment: 'prod',
        onlyOn: [TriggerKind.PUSH, TriggerKind.MANUAL],
        steps: [
          new ApprovalStep({ name: 'ok', approvers: [Approver.group('release'), Approver.role('arn:aws:iam::123456789012:role/x')], requiredApprovals: 2 }),
          new CommandStep({
            name: 'deploy',
            commands: ['./deploy'],
            runAfter: ['ok'],
            platformForms: [
              new PlatformForm({
                platform: StepPlatform.KUBERNETES,
                image: 'builder@sha256:' + '3'.repeat(64),
                commands: ['./deploy --rootless'],
                securityContext: new SecurityContextException({
                  platform: StepPlatform.KUBERNETES,
                  needs: [SecurityContextNeed.SECCOMP_UNCONFINED],
                  reason: 'user namespaces of the rootless builder',
                  runAsUser: 1000,
                }),
              }),
              new PlatformForm({ platform: StepPlatform.CODEBUILD }),
            ],
          }),
          new CommandStep({
            name: 'smoke',
            commands: ['./smoke'],
            runAfter: ['deploy'],
            onFailure: OnFailure.manualIntervention({ approvers: [Approver.user('ops.lea')], timeoutMinutes: 30 }),
          }),
        ],
      }),
      Stage.testStage('notify', { runs: RunCondition.ALWAYS, steps: [new CommandStep({ name: 'chat', commands: ['./notify'] })] }),
    ],
  });
  p.addPolicyWaiver({
    pack: 'acme',
    ruleId: 'GH-NO-PRIVILEGED',
    scope: '/pipeline/stages/build/steps/image',
    reason: 'dind',
    requester: 'dev.bob',
    approver: 'platform.ana',
    approved: '2026-01-01',
    expires: '2026-01-31',
    pipeline: 'every-field',
    signature: 'c2ln',
  });
  return p;
}

describe('the pipeline document', () => {
  test.each(examplePipelines())('%s: the document (engine-independent and per engine) validates against the schema', (_, pipeline) => {
    for (const opts of [{}, { engine: 'codepipeline' }, { engine: 'tekton', cloneImage: 'gcr.io/tekton-releases/git-init:v0.40.2' }]) {
      const json = pipeline.toDocument(opts).toJson();
      expect(pipelineDocumentProblems(json)).toEqual([]);
      expect(json.apiVersion).toBe('gatehouse.dev/v1');
      expect(json.kind).toBe('PipelineDocument');
    }
  });

  test('a document with every field validates, holds lower-case words, and never a secret value or inline content', () => {
    const doc = everyField().toDocument({ engine: 'tekton', cloneImage: 'git-init@sha256:' + '2'.repeat(64) });
    const json = doc.toJson();
    expect(pipelineDocumentProblems(json)).toEqual([]);
    const text = doc.toJsonString();
    expect(text).not.toContain('SECRET-ISH-INLINE');
    expect(text).not.toContain('"inline":"vex"');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('c2ln'); // waiver signatures are not repeated
    const step = json.pipeline.stages[1].steps[0];
    expect(step).toMatchObject({ type: 'scan', category: 'supply-chain', signing: ['sign', 'verify-attestation'], pushesImage: true });
    expect(step.gate).toMatchObject({ failOn: 'medium', failureStrategy: 'manual-intervention', budgets: { critical: 0, high: 0, medium: 1, low: 10, info: 100 }, maxExemptionDays: 14 });
    expect(step.gate.trustedKeys).toEqual({ kind: 'inline', sha256: expect.stringMatching(/^[a-f0-9]{64}$/) });
    expect(step.gate.trustedVex[0]).toEqual({ kind: 'config-map', name: 'platform-vex', key: 'vex.json' });
    expect(step.gate.exemptionApprovers).toEqual(['sec.priya']);
    expect(step.gate.interventionApprovers).toEqual([{ kind: 'user', name: 'sec.marco' }, { kind: 'group', name: 'appsec' }]);
    expect(step).toMatchObject({ maxSeverity: 'high', unknownSeverity: false });
    expect(json.pipeline.stages[0].steps[0]).toMatchObject({ pushesImage: true, privileged: true, retries: 2, secrets: [{ variable: 'TOKEN', secretName: 'registry', key: 'token' }] });
    expect(json.pipeline.stages[2].steps[0].approvers).toEqual([{ kind: 'group', name: 'release' }, { kind: 'role', name: 'arn:aws:iam::123456789012:role/x' }]);
    expect(json.pipeline.defaults.env).toEqual(['LOG']);
    expect(json.pipeline.stages[2].steps[1]).toMatchObject({ onFailure: { strategy: 'fail' }, runs: 'on-success' });
    expect(json.pipeline.stages[2].steps[2].onFailure).toEqual({ strategy: 'manual-intervention', approvers: [{ kind: 'user', name: 'ops.lea' }], timeoutMinutes: 30 });
    expect(json.pipeline.stages[3]).toMatchObject({ name: 'notify', runs: 'always', steps: [{ name: 'chat', runs: 'always' }] });
    expect(json.pipeline.triggers).toEqual([
      { kind: 'push', branches: ['release'], branchesExclude: ['release/old*'], filePaths: ['src/**'], filePathsExclude: ['docs/**'] },
      { kind: 'push', tags: ['v*'], tagsExclude: ['v0.*'] },
      {
        kind: 'pull-request',
        events: ['opened', 'closed'],
        branches: ['release'],
        branchesExclude: ['legacy'],
        sourceBranches: ['feature/*'],
        sourceBranchesExclude: ['feature/wip*'],
        filePaths: ['src/**'],
        filePathsExclude: ['*.md'],
      },
      { kind: 'schedule', name: 'nightly', cron: '0 3 * * *', timeZone: 'Europe/Berlin' },
      { kind: 'manual', startedBy: [{ kind: 'role', name: 'release-managers' }, { kind: 'user', name: 'alice' }] },
    ]);
    expect(json.pipeline.stages.map((s: any) => [s.name, s.runsOn])).toEqual([
      ['build', ['push', 'pull-request', 'schedule', 'manual']],
      ['scan', ['push', 'pull-request', 'schedule', 'manual']],
      ['prod', ['push', 'manual']],
      ['notify', ['push', 'pull-request', 'schedule', 'manual']],
    ]);
    expect(json.pipeline.stages.map((s: any) => [s.kind, s.requires, s.after])).toEqual([
      ['build', [], []],
      ['security', ['build'], ['build']],
      ['deploy', ['scan'], ['build', 'scan']],
      ['test', ['prod'], ['build', 'scan', 'prod']],
    ]);
  });

  test('every property the schema declares is written for some pipeline (no stale schema fields)', () => {
    const docs = [...examplePipelines().map(([, p]) => p), everyField()].map((p) => p.toDocument({ engine: 'tekton', cloneImage: 'x' }).toJson());
    docs.push(everyField().toDocument({ engine: 'codepipeline', engineGateImage: 'aws/codebuild/x:5.0', managedImages: ['aws/codebuild/x:5.0'] }).toJson());
    docs.push(Pipeline.prototype.toDocument.call(s3Pipeline()).toJson());
    const seen = new Map<string, Set<string>>();
    const visit = (def: string, value: any) => {
      const spec = PIPELINE_DOCUMENT_SCHEMA.$defs[def];
      const keys = seen.get(def) ?? new Set<string>();
      seen.set(def, keys);
      for (const [k, v] of Object.entries(value)) {
        keys.add(k);
        const prop = spec.properties[k];
        const ref = prop.$ref ?? prop.items?.$ref;
        if (!ref) continue;
        const sub = ref.replace('#/$defs/', '');
        for (const item of Array.isArray(v) ? v : [v]) visit(sub, item);
      }
    };
    for (const d of docs) visit('pipeline', d.pipeline);
    for (const [def, spec] of Object.entries<any>(PIPELINE_DOCUMENT_SCHEMA.$defs)) {
      expect([def, Object.keys(spec.properties).filter((k) => !seen.get(def)?.has(k))]).toEqual([def, []]);
    }
  });

  test('the TypeScript types and the schema name the same fields, with the same required ones', () => {
    for (const [def, [all, required]] of Object.entries(TS_FIELDS)) {
      const spec = PIPELINE_DOCUMENT_SCHEMA.$defs[def];
      expect([def, Object.keys(spec.properties).sort()]).toEqual([def, Object.keys(all).sort()]);
      expect([def, [...spec.required].sort()]).toEqual([def, Object.keys(required).sort()]);
      expect(spec.additionalProperties).toBe(false);
    }
    expect(PIPELINE_DOCUMENT_SCHEMA.additionalProperties).toBe(false);
    expect(Object.keys(PIPELINE_DOCUMENT_SCHEMA.properties).sort()).toEqual(Object.keys(TOP).sort());
    expect(Object.keys(PIPELINE_DOCUMENT_SCHEMA.$defs).sort()).toEqual(Object.keys(TS_FIELDS).sort());
  });

  test('random small models give documents that validate', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const json = buildModel(model).toDocument().toJson();
        expect(pipelineDocumentProblems(json)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test('a document read back keeps its content; an unknown apiVersion or kind is refused', () => {
    const json = everyField().toDocument().toJson();
    expect(PipelineDocument.fromJson(json).toJson()).toEqual(json);
    expect(() => PipelineDocument.fromJson({ ...json, apiVersion: 'gatehouse.dev/v2' })).toThrow(/apiVersion "gatehouse.dev\/v2" is not supported: use gatehouse.dev\/v1/);
    expect(() => PipelineDocument.fromJson({ ...json, kind: 'Pipeline' })).toThrow(/kind "Pipeline" is not PipelineDocument/);
    expect(() => PipelineDocument.fromJson([])).toThrow(/not a JSON object/);
  });

  test('the schema refuses a document with an unknown field or a word it does not know', () => {
    const json = everyField().toDocument().toJson();
    json.pipeline.stages[0].steps[0].command = 'make';
    json.pipeline.stages[1].kind = 'BUILD';
    expect(pipelineDocumentProblems(json)).toEqual([
      '/pipeline/stages/0/steps/0: unknown field "command"',
      expect.stringMatching(/^\/pipeline\/stages\/1\/kind: must be equal to one of the allowed values/),
    ]);
  });

  test('the schema is published with the package', () => {
    const ignore = fs.readFileSync(path.join(__dirname, '..', '..', '.npmignore'), 'utf8').split('\n');
    expect(ignore).toContain('!/schemas/');
  });
});

function s3Pipeline(): Pipeline {
  return new Pipeline({
    name: 's3',
    source: Source.s3({ bucketName: 'b', objectKey: 'k.zip' }),
    stages: [Stage.buildStage('b', { steps: [new CommandStep({ name: 'b', commands: ['true'] })] })],
  });
}

// compile-time: each record must list exactly the fields (and the required fields) of its type
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
type Fields<T> = [{ [K in keyof Required<T>]: true }, { [K in RequiredKeys<T>]: true }];
const TOP: { [K in keyof PipelineDocumentJson]: true } = { apiVersion: true, kind: true, pipeline: true };
const TS_FIELDS: {
  pipeline: Fields<DocumentPipeline>;
  source: Fields<DocumentSource>;
  defaults: Fields<DocumentDefaults>;
  engine: Fields<DocumentEngine>;
  stage: Fields<DocumentStage>;
  step: Fields<DocumentStep>;
  stepFailure: Fields<DocumentStepFailure>;
  secret: Fields<DocumentSecret>;
  chainsResult: Fields<DocumentChainsResult>;
  approver: Fields<DocumentApprover>;
  gate: Fields<DocumentGate>;
  budgets: Fields<DocumentBudgets>;
  trustSource: Fields<DocumentTrustSource>;
  policy: Fields<DocumentPolicy>;
  waiver: Fields<DocumentWaiver>;
  platformForm: Fields<DocumentPlatformForm>;
  securityContextException: Fields<DocumentSecurityContextException>;
  trigger: Fields<DocumentTrigger>;
} = {
  pipeline: [
    { name: true, source: true, defaults: true, gateImage: true, engine: true, images: true, stages: true, policy: true, triggers: true },
    { name: true, source: true, defaults: true, gateImage: true, images: true, stages: true, policy: true, triggers: true },
  ],
  source: [
    { provider: true, url: true, branch: true, owner: true, repository: true, bucketName: true, objectKey: true },
    { provider: true, url: true },
  ],
  defaults: [{ image: true, timeoutMinutes: true, env: true }, { image: true, timeoutMinutes: true, env: true }],
  engine: [{ name: true, cloneImage: true, gateImage: true, managedImages: true }, { name: true }],
  stage: [
    { name: true, kind: true, requires: true, after: true, runs: true, environment: true, gate: true, steps: true, runsOn: true },
    { name: true, kind: true, requires: true, after: true, steps: true, runsOn: true },
  ],
  step: [
    {
      name: true,
      type: true,
      runAfter: true,
      image: true,
      allowFailure: true,
      onFailure: true,
      runs: true,
      privileged: true,
      timeoutMinutes: true,
      retries: true,
      env: true,
      secrets: true,
      inputs: true,
      outputs: true,
      pushesImage: true,
      signing: true,
      commandsSha256: true,
      platformForms: true,
      scanner: true,
      category: true,
      findingsFormats: true,
      maxSeverity: true,
      unknownSeverity: true,
      gate: true,
      chainsResults: true,
      approvers: true,
      requiredApprovals: true,
    },
    { name: true, type: true, runAfter: true, allowFailure: true, privileged: true, timeoutMinutes: true },
  ],
  stepFailure: [{ strategy: true, approvers: true, timeoutMinutes: true }, { strategy: true }],
  secret: [{ variable: true, secretName: true, key: true }, { variable: true, secretName: true }],
  chainsResult: [{ name: true, path: true }, { name: true, path: true }],
  approver: [{ kind: true, name: true }, { kind: true, name: true }],
  gate: [
    {
      failOn: true,
      failureStrategy: true,
      budgets: true,
      unknownAs: true,
      newOnly: true,
      exemptionsFile: true,
      exemptionApprovers: true,
      maxExemptionDays: true,
      trustedKeys: true,
      vexFiles: true,
      trustedVex: true,
      baseline: true,
      storedBaseline: true,
      interventionApprovers: true,
      interventionTimeoutMinutes: true,
    },
    {
      failOn: true,
      failureStrategy: true,
      unknownAs: true,
      newOnly: true,
      exemptionApprovers: true,
      maxExemptionDays: true,
      vexFiles: true,
      trustedVex: true,
      storedBaseline: true,
      interventionApprovers: true,
      interventionTimeoutMinutes: true,
    },
  ],
  budgets: [{ critical: true, high: true, medium: true, low: true, info: true }, {}],
  trustSource: [{ kind: true, name: true, key: true, sha256: true }, { kind: true }],
  policy: [{ packs: true, waivers: true }, { packs: true, waivers: true }],
  waiver: [
    { pack: true, ruleId: true, scope: true, reason: true, requester: true, approver: true, approved: true, expires: true },
    { pack: true, ruleId: true, scope: true, reason: true, requester: true, approver: true, approved: true, expires: true },
  ],
  platformForm: [{ platform: true, image: true, commandsSha256: true, securityContext: true }, { platform: true, image: true, commandsSha256: true }],
  securityContextException: [{ needs: true, reason: true, runAsUser: true }, { needs: true, reason: true }],
  trigger: [
    {
      kind: true,
      branches: true,
      branchesExclude: true,
      sourceBranches: true,
      sourceBranchesExclude: true,
      tags: true,
      tagsExclude: true,
      filePaths: true,
      filePathsExclude: true,
      events: true,
      name: true,
      cron: true,
      timeZone: true,
      startedBy: true,
    },
    { kind: true },
  ],
};

// --- random small models --------------------------------------------------------------------

interface StepModel { kind: 'command' | 'scan' | 'approval'; allowFailure: boolean; privileged: boolean; timeout?: number; category: ScanCategory; gated: boolean; failOn: GateSeverity; strategy: FailureStrategy; group: boolean }
interface StageModel { kind: StageKind; steps: StepModel[]; stageGate: boolean; requiresNone: boolean }

const stepArb: fc.Arbitrary<StepModel> = fc.record({
  kind: fc.constantFrom('command' as const, 'scan' as const, 'approval' as const),
  allowFailure: fc.boolean(),
  privileged: fc.boolean(),
  timeout: fc.option(fc.integer({ min: 1, max: 2160 }), { nil: undefined }),
  category: fc.constantFrom(...Object.values(ScanCategory)),
  gated: fc.boolean(),
  failOn: fc.constantFrom(...Object.values(GateSeverity)),
  strategy: fc.constantFrom(FailureStrategy.FAIL, FailureStrategy.IGNORE),
  group: fc.boolean(),
});
const modelArb = fc.array(
  fc.record({
    kind: fc.constantFrom(...Object.values(StageKind)),
    steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }),
    stageGate: fc.boolean(),
    requiresNone: fc.boolean(),
  }),
  { minLength: 1, maxLength: 5 },
);

function buildModel(stages: StageModel[]): Pipeline {
  return new Pipeline({
    name: 'random',
    source: Source.git({ url: 'https://example.com/r.git' }),
    stages: stages.map((s, i) => {
      const steps = s.steps.map((t, j) => {
        const name = `s${j}`;
        if (t.kind === 'approval') return new ApprovalStep({ name, approvers: [t.group ? Approver.group('g') : Approver.user('u')], timeoutMinutes: t.timeout ?? 60 });
        if (t.kind === 'command') return new CommandStep({ name, commands: ['true'], allowFailure: t.allowFailure, privileged: t.privileged, timeoutMinutes: t.timeout });
        return new ScanStep({
          name,
          scanner: 'x',
          category: t.category,
          commands: ['true'],
          reports: [{ name: 'r', paths: ['r.json'] }],
          findingsReports: ['r.json'],
          gated: t.gated,
          gate: new GatePolicy({ failOn: t.failOn, failureStrategy: t.strategy }),
          privileged: t.privileged,
          timeoutMinutes: t.timeout,
        });
      });
      const hasScan = s.steps.some((t) => t.kind === 'scan');
      const kind = s.kind;
      return new Stage({
        name: `st${i}`,
        kind,
        steps,
        requires: s.requiresNone ? [] : undefined,
        environment: kind === StageKind.DEPLOY ? 'prod' : undefined,
        gate: s.stageGate && hasScan ? GatePolicy.defaults() : undefined,
      });
    }),
  });
}
