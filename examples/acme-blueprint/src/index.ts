/**
 * @acme/gatehouse-blueprint: the pipeline every Acme service gets.
 *
 * - build, test and prod are slots: the app team adds its own steps there;
 * - the oast security stage (secrets, SAST, SCA, SBOM, one strict gate) and the approval by
 *   release-managers are sealed: a pipeline that drops, reorders or weakens them is refused;
 * - the acme-baseline pack (acme-baseline.yaml) and the blueprint's own seal travel with every
 *   pipeline and with the Apps this package hands out, so an engine built without the blueprint
 *   in those Apps is refused too;
 * - engine defaults: the Tekton clone image pinned by digest, a small CodeBuild compute type;
 *   on GitHub Actions and CircleCI, which have no platform-owned store a job could read the keys
 *   from, the security approvers' public keys are written into the pipeline by this package.
 */
import * as path from 'node:path';
import { App as CdkApp, AppProps as CdkAppProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { App as K8sApp, AppProps as K8sAppProps } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Approver,
  codepipeline,
  CommandStep,
  GatePolicy,
  GateSeverity,
  Pipeline,
  policy,
  security,
  Source,
  Stage,
  tekton,
  TrustSource,
} from 'gatehouse';

/** Where a pipeline runs: the gates read the platform's keys from that engine's store. */
export enum AcmeTarget {
  /** AWS CodePipeline: keys in SSM Parameter Store. */
  CODEPIPELINE = 'codepipeline',
  /** Tekton: keys in a ConfigMap of the platform namespace. */
  TEKTON = 'tekton',
  /**
   * GitHub Actions: keys written into the workflow from this package (ACME_SECURITY_KEYS); a
   * repository secret is no trust source, since the app team administers its repository.
   */
  GITHUB = 'github',
  /** CircleCI: keys written into the config from this package (ACME_SECURITY_KEYS). */
  CIRCLECI = 'circleci',
}

/** The org pack. */
export const ACME_PACK_FILE = path.join(__dirname, '..', 'acme-baseline.yaml');
/** Python base image of the app steps, pinned by digest. */
export const ACME_IMAGE = 'public.ecr.aws/docker/library/python:3.12.7-slim-bookworm@sha256:032c52613401895aa3d418a4c563d2d05f993bc3ecc065c8f4e2280978acd249';
/** Tekton's git-init, pinned by digest (the clone step of every Tekton pipeline). */
// (the digests below are placeholders of this example: pin the ones your registry holds)
export const ACME_CLONE_IMAGE =
  'gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2@sha256:1111111111111111111111111111111111111111111111111111111111111111';
/** Syft with /bin/sh for CodeBuild (built from django-devsecops/images/syft.Dockerfile), pinned by digest. */
export const ACME_SYFT_CODEBUILD_IMAGE = security.ScannerImage.of('ghcr.io/acme/gatehouse-syft', '1.45.1', `sha256:${'2'.repeat(64)}`);
/** Syft for Tekton (distroless debug, /busybox/sh), pinned by the digest of Acme's mirror. */
export const ACME_SYFT_TEKTON_IMAGE = security.ScannerImage.of('anchore/syft', 'v1.45.1-debug', `sha256:${'3'.repeat(64)}`, '/busybox/sh');
/** The CodeStar connection every Acme pipeline uses. */
export const ACME_CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/00000000-0000-0000-0000-000000000000';
/** The security approvers who sign exemptions. */
export const ACME_SECURITY_APPROVERS = ['sec.priya', 'sec.marco'];

/**
 * The security approvers' public keys (approver → PEM), the ones their exemption signatures are
 * checked against where the keys travel with the pipeline (GitHub Actions, CircleCI). Elsewhere the
 * platform keeps the same map in its own store. Rotate them by releasing this package.
 */
export const ACME_SECURITY_KEYS = [
  'sec.priya: |',
  '  -----BEGIN PUBLIC KEY-----',
  '  MCowBQYDK2VwAyEAkrOwRH18LGPaRu67dt3LGGV0sDkAvCAZQX+W0jaQ9Nk=',
  '  -----END PUBLIC KEY-----',
  'sec.marco: |',
  '  -----BEGIN PUBLIC KEY-----',
  '  MCowBQYDK2VwAyEAizg3GV835Tf0sKzV6WurVjyrSejnXBjQEpmcMHccjLE=',
  '  -----END PUBLIC KEY-----',
  '',
].join('\n');

/** The platform's trust sources on each engine: the keys exemptions are signed with. */
function trustedKeys(target: AcmeTarget): TrustSource {
  switch (target) {
    case AcmeTarget.CODEPIPELINE:
      return TrustSource.ssmParameter('/platform/gatehouse/trusted-keys');
    case AcmeTarget.TEKTON:
      return TrustSource.configMap('acme-gatehouse-trust', 'trusted-keys.yaml');
    case AcmeTarget.GITHUB:
    case AcmeTarget.CIRCLECI:
      return TrustSource.inline(ACME_SECURITY_KEYS);
    default:
      throw new Error(`acme target "${target}" is not one of ${Object.values(AcmeTarget).join(', ')}`);
  }
}

/**
 * The Syft image on each engine: Acme's own builds on CodeBuild and Tekton; on GitHub Actions and
 * CircleCI the catalog's (its pinned Python image with the sha256-checked Syft release binary).
 */
function syftImage(target: AcmeTarget): security.ScannerImage | undefined {
  if (target === AcmeTarget.CODEPIPELINE) return ACME_SYFT_CODEBUILD_IMAGE;
  if (target === AcmeTarget.TEKTON) return ACME_SYFT_TEKTON_IMAGE;
  return undefined;
}

let orgPack: policy.PolicyPack | undefined;
/** The acme-baseline pack (read once: every pipeline and App share the same object). */
export function acmeBaseline(): policy.PolicyPack {
  orgPack ??= policy.PolicyPack.fromFile(ACME_PACK_FILE);
  return orgPack;
}

const blueprints = new Map<AcmeTarget, policy.Blueprint>();
/** The acme-service blueprint for an engine. */
export function acmeServiceBlueprint(target: AcmeTarget): policy.Blueprint {
  trustedKeys(target); // an unknown target fails here, before anything is built
  let b = blueprints.get(target);
  if (b) return b;
  const gate = new GatePolicy({
    failOn: GateSeverity.HIGH,
    exemptionsFile: '.gatehouse/exemptions.yaml',
    exemptionApprovers: ACME_SECURITY_APPROVERS,
    trustedKeys: trustedKeys(target),
    maxExemptionDays: 30,
  });
  b = new policy.Blueprint({
    name: 'acme-service',
    packs: [acmeBaseline()],
    defaults: { image: ACME_IMAGE, timeoutMinutes: 30 },
    stages: [
      { stage: Stage.buildStage('build'), slot: true },
      { stage: Stage.testStage('test'), slot: true },
      {
        stage: Stage.securityStage('oast', {
          gate,
          steps: [
            new security.Gitleaks({ mode: security.SecretScanMode.FILES, gate }),
            new security.Semgrep({ gate }),
            new security.OsvScanner({ gate }),
            new security.Syft({ target: security.ScanTarget.directory('.'), image: syftImage(target) }),
          ],
        }),
      },
      { stage: Stage.approvalStage('approval', { approvers: [Approver.group('release-managers')], timeoutMinutes: 1440 }) },
      { stage: Stage.deployStage('prod', { environment: 'prod' }), slot: true },
    ],
    approvers: ['platform.ana', 'platform.raj'],
  });
  blueprints.set(target, b);
  return b;
}

/** What an Acme service puts in its pipeline. */
export interface AcmeServiceProps {
  /** Service (and pipeline) name. */
  readonly name: string;
  /** GitHub repository under the acme organisation. */
  readonly repository: string;
  /** Build commands. */
  readonly build: string[];
  /** Test commands. */
  readonly test: string[];
  /** Deploy commands (run after the approval). */
  readonly deploy: string[];
  /** Where it runs. @default AcmeTarget.TEKTON */
  readonly target?: AcmeTarget;
  /** More steps per slot (build, test, prod). @default - none */
  readonly slots?: policy.SlotSteps[];
  /** Signed waivers. @default - none */
  readonly waivers?: policy.BlueprintPipelineProps['waivers'];
}

/** An Acme service pipeline: the blueprint with the service's build, test and deploy commands in its slots. */
export function acmeServicePipeline(props: AcmeServiceProps): Pipeline {
  const step = (name: string, commands: string[]) => new CommandStep({ name, commands });
  return acmeServiceBlueprint(props.target ?? AcmeTarget.TEKTON).pipeline({
    name: props.name,
    source: Source.gitHub({ owner: 'acme', repository: props.repository, branch: 'main' }),
    slots: [
      { slot: 'build', steps: [step('build', props.build)] },
      { slot: 'test', steps: [step('test', props.test)] },
      { slot: 'prod', steps: [step('deploy', props.deploy)] },
      ...(props.slots ?? []),
    ],
    waivers: props.waivers,
  });
}

/** An aws-cdk-lib App carrying the Acme packs: every gatehouse engine in it is checked against them. */
export function acmeCdkApp(props: CdkAppProps = {}): CdkApp {
  const app = new CdkApp(props);
  acmeServiceBlueprint(AcmeTarget.CODEPIPELINE).attachTo(app);
  return app;
}

/** A cdk8s App carrying the Acme packs. */
export function acmeK8sApp(props: K8sAppProps = {}): K8sApp {
  const app = new K8sApp(props);
  acmeServiceBlueprint(AcmeTarget.TEKTON).attachTo(app);
  return app;
}

/** The CodePipeline engine with Acme's defaults (connection, compute type). */
export function acmeCodePipeline(scope: Construct, id: string, pipeline: Pipeline, props: Partial<codepipeline.CodePipelineEngineProps> = {}): codepipeline.CodePipelineEngine {
  return new codepipeline.CodePipelineEngine(scope, id, { connectionArn: ACME_CONNECTION_ARN, computeType: codebuild.ComputeType.SMALL, ...props, pipeline });
}

/** The Tekton engine with Acme's defaults (clone image pinned by digest). */
export function acmeTekton(scope: Construct, id: string, pipeline: Pipeline, props: Partial<tekton.TektonEngineProps> = {}): tekton.TektonEngine {
  return new tekton.TektonEngine(scope, id, { cloneImage: ACME_CLONE_IMAGE, ...props, pipeline });
}

