import { Approver, CommandStep, FailureStrategy, GatePolicy, GateSeverity, Pipeline, Source, Stage, Trigger, TriggerKind, TrustSource, security } from 'gatehouse';

/** Exemptions file of the application repository (requested by developers, signed by security approvers). */
export const EXEMPTIONS_FILE = '.gatehouse/exemptions.yaml';

/**
 * Public ed25519 keys of the security approvers (`gatehouse exemption keygen`; each keeps the
 * private key): an exemption applies only with a valid signature by the approver it names. They
 * are part of the pipeline definition, not a file of the repository the gate judges, so a
 * developer cannot add a key of their own. A platform team keeps them in its own store instead:
 * `TrustSource.ssmParameter(...)` on CodePipeline, `TrustSource.configMap(...)` on Tekton.
 */
export const TRUSTED_KEYS = [
  'sec.priya: |',
  '  -----BEGIN PUBLIC KEY-----',
  '  MCowBQYDK2VwAyEAhGl/zjZ/Bpa+3u+3ObmPmFTQY8scV7UoTwMjHCggT1o=',
  '  -----END PUBLIC KEY-----',
  'sec.marco: |',
  '  -----BEGIN PUBLIC KEY-----',
  '  MCowBQYDK2VwAyEA/dA9WVzjnz16XUqLPgHAcQ7DO3U6z3WUf8y3VqhyzlI=',
  '  -----END PUBLIC KEY-----',
  '',
].join('\n');

/** The security approvers who may grant exemptions. */
export const SECURITY_APPROVERS = ['sec.priya', 'sec.marco'];

/** Options of the seed pipeline: what differs between the engines that run it. */
export interface DjangoDevSecOpsOptions {
  /**
   * Link shown on the approval: where approvers read the findings summary (`gatehouse.md`) of the
   * oast stage gate before they approve. The model holds one string, so each engine's example
   * passes its own stable link (see README.md): on CodePipeline the variable holding the S3
   * console link of the summary the stage gate published for this execution.
   * @default DEFAULT_REVIEW_URL (the Tekton Dashboard page of the run)
   */
  readonly reviewUrl?: string;
  /**
   * Image of the Syft SBOM step. The catalog's Syft image is distroless (its shell is
   * `/busybox/sh`), which Tekton runs and CodeBuild cannot: the CodePipeline example passes an
   * image with `/bin/sh` (images/syft.Dockerfile).
   * @default security.ScannerImage.SYFT
   */
  readonly syftImage?: security.ScannerImage;
  /**
   * What starts the pipeline's runs (`seedTriggers()`, or the part of it an engine renders).
   * Given, the stages are limited to the triggers they are meant for: build and test never run
   * for the nightly re-scan, integration, approval and prod only for pushes and manual starts
   * (never for a pull request, whose code nobody has reviewed yet), oast on every trigger.
   * @default - pushes to main; every stage runs
   */
  readonly triggers?: Trigger[];
}

/** The pre-merge pipeline: pull requests into main, opened or updated (build, test and oast run). */
export function preMergeTrigger(): Trigger {
  return Trigger.pullRequest({ targetBranches: ['main'] });
}

/** The nightly re-scan of what is released: the oast stage only, 02:00 in Berlin. */
export function nightlyRescan(): Trigger {
  return Trigger.schedule({ name: 'nightly-rescan', cron: '0 2 * * *', timeZone: 'Europe/Berlin' });
}

/** Every trigger of the seed pipeline: pushes to main, the pre-merge pipeline, the nightly re-scan and manual starts. */
export function seedTriggers(): Trigger[] {
  return [Trigger.push(), preMergeTrigger(), nightlyRescan(), Trigger.manual()];
}

/**
 * The Tekton Dashboard page of the run waiting for approval (Tekton substitutes the run's
 * namespace and name in the ApprovalTask's description): the logs of task `oast-stage-gate` show
 * the summary, and its results the counts per severity. Replace the host with your dashboard's.
 */
export const DEFAULT_REVIEW_URL =
  'https://tekton-dashboard.example.com/#/namespaces/$(context.pipelineRun.namespace)/pipelineruns/$(context.pipelineRun.name)';

/**
 * The seed pipeline: the CircleCI workflow of a Django app (build → test → oast → integration →
 * approval → prod), written once and rendered by every engine.
 */
export function djangoDevSecOps(options: DjangoDevSecOpsOptions = {}): Pipeline {
  // One real gate for every OAST scan: fail on high and critical findings (a finding without a
  // severity, such as a gitleaks secret, counts as high: fail closed), unless a security approver
  // signed a time-boxed exemption for it.
  //
  // The seed ran `safety check … || true`: findings never stopped the pipeline, and neither did a
  // broken scanner. Its literal translation is FailureStrategy.IGNORE. We keep FAIL instead:
  // `|| true` was there because the job could not tell findings from errors and had no way to
  // accept one known risk without accepting all of them. Now a scanner error always fails the
  // step, findings go through the gate, and an accepted risk is an exemption with a reason, an
  // approver and an expiry, so nothing else slips through with it. IGNORE stays one line away
  // (`failureStrategy: FailureStrategy.IGNORE`) for a team that starts by only recording findings.
  const gate = new GatePolicy({
    failOn: GateSeverity.HIGH,
    exemptionsFile: EXEMPTIONS_FILE,
    exemptionApprovers: SECURITY_APPROVERS,
    trustedKeys: TrustSource.inline(TRUSTED_KEYS),
    failureStrategy: FailureStrategy.FAIL,
  });
  const triggers = options.triggers;
  const declared = new Set(triggers?.map((t) => t.kind));
  // the kinds of `wanted` the pipeline declares (a person may always start a run); undefined without triggers: every stage runs
  const on = (...wanted: TriggerKind[]) => (triggers ? wanted.filter((k) => k === TriggerKind.MANUAL || declared.has(k)) : undefined);
  const gitAndManual = on(TriggerKind.PUSH, TriggerKind.PULL_REQUEST, TriggerKind.MANUAL);
  const release = on(TriggerKind.PUSH, TriggerKind.MANUAL);
  return new Pipeline({
    name: 'django-devsecops',
    triggers,
    source: Source.gitHub({ owner: 'acme', repository: 'django-taskmanager', branch: 'main' }),
    // Python 3.12.7 on Debian 12 (ECR Public mirror of the Docker official image), pinned by digest
    defaults: { image: 'public.ecr.aws/docker/library/python:3.12.7-slim-bookworm@sha256:032c52613401895aa3d418a4c563d2d05f993bc3ecc065c8f4e2280978acd249' },
    stages: [
      Stage.buildStage('build', {
        onlyOn: gitAndManual,
        steps: [
          new CommandStep({
            name: 'build',
            commands: ['pip install -r requirements.txt', 'python manage.py check'],
          }),
        ],
      }),
      Stage.testStage('test', {
        onlyOn: gitAndManual,
        steps: [
          new CommandStep({
            name: 'test',
            commands: ['pip install -r requirements.txt', 'python manage.py test taskManager'],
          }),
        ],
      }),
      Stage.securityStage('oast', {
        // the stage gate decides once over every report of the stage (deduplicated across tools)
        // and writes the one summary approvers read before the release
        gate,
        steps: [
          // the seed's job: `safety check -r requirements.txt --json` (no API key needed)
          new security.Safety({ requirementsFile: 'requirements.txt', gate }),
          new security.Bandit({ paths: ['.'], gate }),
          // the source reaches CodeBuild as a zip without history: scan the files (gitleaks dir)
          new security.Gitleaks({ mode: security.SecretScanMode.FILES, gate }),
          // the SBOM has no findings to gate; it is kept with the stage's reports
          new security.Syft({ target: security.ScanTarget.directory('.'), image: options.syftImage }),
        ],
      }),
      Stage.integrationStage('integration', {
        onlyOn: release,
        steps: [
          new CommandStep({
            name: 'integration',
            commands: ['pip install -r requirements.txt', 'python manage.py test taskManager.tests'],
            allowFailure: true,
          }),
        ],
      }),
      Stage.approvalStage('approval', {
        onlyOn: release,
        approvers: [Approver.group('release-managers')],
        description:
          'Approve the release of django-taskmanager to prod. Read the findings summary of the oast stage gate first ' +
          '(gatehouse.md: open findings, exemptions applied and expired).',
        reviewUrl: options.reviewUrl ?? DEFAULT_REVIEW_URL,
        timeoutMinutes: 1440,
      }),
      Stage.deployStage('prod', {
        onlyOn: release,
        environment: 'prod',
        steps: [
          new CommandStep({
            name: 'deploy',
            commands: ['./deploy.sh prod'],
          }),
        ],
      }),
    ],
  });
}
