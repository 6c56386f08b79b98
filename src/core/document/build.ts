import { createHash } from 'node:crypto';
import { ApprovalStep, Approver } from '../approval-step';
import { CommandStep } from '../command-step';
import { FailureStrategy, GatePolicy } from '../gate-policy';
import type { Pipeline } from '../pipeline';
import type { PolicyWaiver } from '../policy-hook';
import { ScanStep } from '../scan-step';
import { SecurityContextNeed, StepPlatform } from '../security-context';
import type { Stage } from '../stage';
import type { Step } from '../step';
import { Trigger, TriggerKind } from '../trigger';
import { TrustSource } from '../trust-source';
import {
  DocumentApprover,
  DocumentGate,
  DocumentStage,
  DocumentStep,
  DocumentTrigger,
  DocumentTrustSource,
  PIPELINE_DOCUMENT_API_VERSION,
  PIPELINE_DOCUMENT_KIND,
  PipelineDocumentJson,
} from './types';

/** What an engine adds when it writes the document of the pipeline it renders. */
export interface PipelineDocumentOptions {
  /**
   * Engine name (`codepipeline`, `tekton`).
   * @default - engine-independent document
   */
  readonly engine?: string;
  /**
   * Image of the engine's clone step.
   * @default - none
   */
  readonly cloneImage?: string;
  /**
   * The image the gates run in on this engine, when it is not the pipeline's `gateImage`.
   * @default - the pipeline's `gateImage`
   */
  readonly engineGateImage?: string;
  /**
   * Images the engine's service provides by name only (see `DocumentEngine.managedImages`).
   * @default - none
   */
  readonly managedImages?: string[];
  /**
   * Platform whose step forms the document records as the steps' image, commands and privileges.
   * @default - derived from `engine` (`codepipeline`: CODEBUILD, `tekton`: KUBERNETES), else none
   */
  readonly platform?: StepPlatform;
  /**
   * Waivers to record in the document (besides those attached to the pipeline).
   * @default - none
   */
  readonly waivers?: PolicyWaiver[];
}

/** An enum value as a document word: `SUPPLY_CHAIN` → `supply-chain`. */
export function documentWord(value: string): string {
  return value.toLowerCase().replace(/_/g, '-');
}

// commands that send an image to a registry (best effort: a script that pushes is not seen)
const PUSH_PATTERNS: RegExp[] = [
  /\b(docker|podman|nerdctl)\s+(image\s+)?push\b/,
  /\bbuildah\s+push\b/,
  /\bcrane["'}]*\s+(push|copy|cp|append|mutate)\b/,
  /\bskopeo\s+copy\b/,
  /--destination[= ]/,
  /\bjib:build\b/,
  /\bpush=true\b/,
];
const ENGINE_PLATFORMS: { [engine: string]: StepPlatform } = { codepipeline: StepPlatform.CODEBUILD, tekton: StepPlatform.KUBERNETES };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const KO = /\bko["'}]*\s+(build|publish|apply|resolve)\b/;
const COSIGN = /\bcosign["'}]*\s+(sign-blob|sign|attest-blob|attest|verify-blob-attestation|verify-attestation|verify-blob|verify)(?![\w-])/g;
const COSIGN_OPS: { [op: string]: string } = {
  'sign': 'sign',
  'sign-blob': 'sign',
  'attest': 'attest',
  'attest-blob': 'attest',
  'verify': 'verify',
  'verify-blob': 'verify',
  'verify-attestation': 'verify-attestation',
  'verify-blob-attestation': 'verify-attestation',
};
const CHAINS_IMAGE = /(^|_)IMAGE_(URL|DIGEST)$/;

/** Builds the document of a pipeline (the pipeline need not be valid). */
export function buildPipelineDocument(pipeline: Pipeline, options: PipelineDocumentOptions = {}): PipelineDocumentJson {
  const stages = pipeline.stages;
  const requires = new Map<string, string[]>();
  stages.forEach((s) => requires.set(s.name, pipeline.requiresOf(s)));
  const images: string[] = [];
  const useImage = (image: string | undefined) => {
    if (image !== undefined && !images.includes(image)) images.push(image);
  };
  let gated = false;
  const platform = options.platform ?? (options.engine !== undefined ? ENGINE_PLATFORMS[options.engine] : undefined);
  // the kinds a run may have: the declared triggers and a manual start
  const startKinds = Object.values(TriggerKind).filter((k) => k === TriggerKind.MANUAL || pipeline.triggers.some((t) => t.kind === k));
  const docStages: DocumentStage[] = stages.map((stage) => {
    const steps = stage.steps.map((step) => {
      const d = documentStep(pipeline, step, stage.runsAlways(step), platform);
      useImage(d.image);
      // an engine-independent document lists every image a platform form may run
      if (platform === undefined) d.platformForms?.forEach((f) => useImage(f.image));
      if (d.gate) gated = true;
      return d;
    });
    if (stage.gate) gated = true;
    return {
      name: stage.name,
      kind: documentWord(stage.kind),
      requires: requires.get(stage.name) ?? [],
      after: ancestors(stages, requires, stage),
      ...(stage.isAlways() ? { runs: 'always' } : {}),
      ...(stage.environment !== undefined ? { environment: stage.environment } : {}),
      ...(stage.gate ? { gate: documentGate(stage.gate) } : {}),
      steps,
      runsOn: startKinds.filter((k) => stage.runsOn(k)).map(documentWord),
    };
  });
  if (gated) useImage(pipeline.gateImage);
  useImage(options.cloneImage);
  const src = pipeline.source;
  const waivers = [...pipeline.policyWaivers, ...(options.waivers ?? [])];
  return {
    apiVersion: PIPELINE_DOCUMENT_API_VERSION,
    kind: PIPELINE_DOCUMENT_KIND,
    pipeline: {
      name: pipeline.name,
      source: {
        provider: documentWord(src.provider),
        url: src.url,
        ...optional({ branch: src.branch, owner: src.owner, repository: src.repository, bucketName: src.bucketName, objectKey: src.objectKey }),
      },
      defaults: {
        image: pipeline.defaultImage,
        timeoutMinutes: pipeline.defaultTimeoutMinutes,
        env: Object.keys(pipeline.defaultEnv).sort(),
      },
      gateImage: pipeline.gateImage,
      ...(options.engine !== undefined
        ? {
          engine: {
            name: options.engine,
            ...optional({ cloneImage: options.cloneImage, gateImage: options.engineGateImage }),
            ...(options.managedImages?.length ? { managedImages: [...options.managedImages].sort() } : {}),
          },
        }
        : {}),
      images,
      stages: docStages,
      policy: {
        packs: pipeline.policyPacks.map((p) => p.packName),
        waivers: waivers.map((w) => ({
          pack: w.pack,
          ruleId: w.ruleId,
          scope: w.scope,
          reason: w.reason,
          requester: w.requester,
          approver: w.approver,
          approved: w.approved,
          expires: w.expires,
        })),
      },
      triggers: pipeline.triggers.map(documentTrigger),
    },
  };
}

/** The document form of a trigger. */
export function documentTrigger(t: Trigger): DocumentTrigger {
  return {
    kind: documentWord(t.kind),
    ...optional({
      branches: t.branches,
      branchesExclude: t.branchesExclude,
      sourceBranches: t.sourceBranches,
      sourceBranchesExclude: t.sourceBranchesExclude,
      tags: t.tags,
      tagsExclude: t.tagsExclude,
      filePaths: t.filePaths,
      filePathsExclude: t.filePathsExclude,
      events: t.events?.map(documentWord),
      name: t.scheduleName,
      cron: t.cron,
      timeZone: t.timeZone,
      startedBy: t.startedBy?.map(documentApprover),
    }),
  };
}

function documentStep(pipeline: Pipeline, step: Step, always: boolean, platform?: StepPlatform): DocumentStep {
  if (step instanceof ApprovalStep) {
    return {
      name: step.name,
      type: 'approval',
      runAfter: [...step.runAfter],
      allowFailure: false,
      privileged: false,
      timeoutMinutes: step.timeoutMinutes,
      approvers: step.approvers.map(documentApprover),
      requiredApprovals: step.requiredApprovals,
    };
  }
  if (!(step instanceof CommandStep)) {
    // a step kind of another library: what the model knows of it
    return {
      name: step.name,
      type: step.kind,
      runAfter: [...step.runAfter],
      allowFailure: false,
      privileged: false,
      timeoutMinutes: pipeline.defaultTimeoutMinutes,
    };
  }
  const text = step.commandsFor(platform).join('\n');
  // what any form runs: a push or a signature in one platform's commands counts
  const allText = [step.commands, ...step.platformForms.map((f) => f.commands ?? [])].map((c) => c.join('\n')).join('\n');
  const signing = new Set<string>();
  for (const m of allText.matchAll(COSIGN)) signing.add(COSIGN_OPS[m[1]]);
  const forms = step.platformForms.map((f) => ({
    platform: documentWord(f.platform),
    image: pipeline.imageOf(step, f.platform),
    commandsSha256: sha256(step.commandsFor(f.platform).join('\n')),
    ...(f.securityContext
      ? {
        securityContext: {
          needs: f.securityContext.needs.map(documentWord),
          reason: f.securityContext.reason,
          ...optional({ runAsUser: f.securityContext.runAsUser }),
        },
      }
      : {}),
  }));
  // privileged where the document's platform runs it privileged (any platform, for an engine-independent document)
  const privilegedForm = step.platformForms.some(
    (f) => (platform === undefined || f.platform === platform) && f.securityContext?.has(SecurityContextNeed.PRIVILEGED) === true,
  );
  const pushesImage =
    PUSH_PATTERNS.some((p) => p.test(allText)) ||
    (KO.test(allText) && !/--push=false\b/.test(allText)) ||
    (step instanceof ScanStep && step.chainsResults.some((r) => CHAINS_IMAGE.test(r.name)));
  const base: DocumentStep = {
    name: step.name,
    type: step instanceof ScanStep ? 'scan' : 'command',
    runAfter: [...step.runAfter],
    image: pipeline.imageOf(step, platform),
    allowFailure: step.allowFailure,
    onFailure: {
      strategy: documentWord(step.onFailure.strategy),
      ...(step.onFailure.strategy === FailureStrategy.MANUAL_INTERVENTION
        ? { approvers: step.onFailure.approvers.map(documentApprover), timeoutMinutes: step.onFailure.timeoutMinutes }
        : {}),
    },
    runs: always ? 'always' : 'on-success',
    privileged: step.privileged || privilegedForm,
    timeoutMinutes: pipeline.timeoutOf(step),
    retries: step.retries,
    env: Object.keys(pipeline.envOf(step)).sort(),
    secrets: step.secrets.map((s) => ({ variable: s.variable, secretName: s.secretName, ...optional({ key: s.key }) })),
    inputs: [...step.inputs],
    outputs: step.outputs.map((o) => o.name),
    pushesImage,
    signing: [...signing].sort(),
    commandsSha256: sha256(text),
    ...(forms.length > 0 ? { platformForms: forms } : {}),
  };
  if (!(step instanceof ScanStep)) return base;
  return {
    ...base,
    scanner: step.scanner,
    category: documentWord(step.category),
    findingsFormats: [...step.findingsFormats],
    ...optional({ maxSeverity: step.maxSeverity }),
    unknownSeverity: step.unknownSeverity,
    ...(step.gate ? { gate: documentGate(step.gate) } : {}),
    chainsResults: step.chainsResults.map((r) => ({ name: r.name, path: r.path })),
  };
}

/** The document form of a gate policy. */
export function documentGate(gate: GatePolicy): DocumentGate {
  const budgets = optional({ ...gate.budgets });
  return {
    failOn: gate.failOn,
    failureStrategy: documentWord(gate.failureStrategy),
    ...(Object.keys(budgets).length > 0 ? { budgets } : {}),
    unknownAs: gate.unknownAs,
    newOnly: gate.newOnly,
    ...optional({ exemptionsFile: gate.exemptionsFile }),
    exemptionApprovers: [...gate.exemptionApprovers],
    maxExemptionDays: gate.maxExemptionDays,
    ...(gate.trustedKeys ? { trustedKeys: documentTrustSource(gate.trustedKeys) } : {}),
    vexFiles: [...gate.vexFiles],
    trustedVex: gate.trustedVex.map(documentTrustSource),
    ...optional({ baseline: gate.baseline }),
    storedBaseline: gate.storedBaseline,
    interventionApprovers: gate.interventionApprovers.map(documentApprover),
    interventionTimeoutMinutes: gate.interventionTimeoutMinutes,
  };
}

/** The document form of an approver: `{ kind: user|group|role, name }`. */
export function documentApprover(a: Approver): DocumentApprover {
  return { kind: documentWord(a.kind), name: a.name };
}

/** Where a trust anchor comes from; inline content only as its SHA-256. */
export function documentTrustSource(source: TrustSource): DocumentTrustSource {
  return {
    kind: source.kind,
    ...optional({ name: source.name, key: source.key }),
    ...(source.content !== undefined ? { sha256: createHash('sha256').update(source.content, 'utf8').digest('hex') } : {}),
  };
}

function ancestors(stages: Stage[], requires: Map<string, string[]>, stage: Stage): string[] {
  const seen = new Set<string>();
  const visit = (n: string) => {
    for (const d of requires.get(n) ?? []) {
      if (!seen.has(d) && requires.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(stage.name);
  seen.delete(stage.name);
  return stages.map((s) => s.name).filter((n) => seen.has(n));
}

function optional<T extends object>(fields: T): Partial<T> {
  const out: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}
