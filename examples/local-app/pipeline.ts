import { CommandStep, FailureStrategy, GatePolicy, GateSeverity, Pipeline, Source, Stage, TrustSource, security } from 'gatehouse';

/** Exemptions file of the app repository (requested by developers, signed by security approvers). */
export const EXEMPTIONS_FILE = '.gatehouse/exemptions.yaml';

/** The security approvers who may grant exemptions. */
export const SECURITY_APPROVERS = ['sec.priya', 'sec.marco'];

/**
 * Public ed25519 keys of the security approvers: part of the definition, not of the repository
 * the gate judges. The private keys stay with the approvers.
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

/**
 * The orders-api pipeline: build, then secrets, SAST and SBOM scans over the app (folder `app`)
 * with npm-installed scanners, then deploy. Every scan runs on this machine with
 * `gatehouse run pipeline.ts`, and renders to CodePipeline and Tekton like any pipeline.
 */
export function localAppPipeline(): Pipeline {
  // fail on high and critical findings, unless a security approver signed an exemption
  const gate = new GatePolicy({
    failOn: GateSeverity.HIGH,
    exemptionsFile: EXEMPTIONS_FILE,
    exemptionApprovers: SECURITY_APPROVERS,
    trustedKeys: TrustSource.inline(TRUSTED_KEYS),
    failureStrategy: FailureStrategy.FAIL,
  });
  return new Pipeline({
    name: 'orders-api',
    source: Source.gitHub({ owner: 'acme', repository: 'orders-api', branch: 'main' }),
    // the steps run node and npm: the catalog's Node.js image, pinned by digest
    defaults: { image: security.ScannerImage.NODE.reference },
    stages: [
      Stage.buildStage('build', {
        steps: [new CommandStep({ name: 'check', commands: ['for f in app/src/*.js app/scripts/*.js; do node --check "$f"; done'] })],
      }),
      Stage.securityStage('security', {
        steps: [
          // secretlint from the project's devDependencies: its built-in JSON formatter
          new security.Secretlint({ patterns: ['app/**/*'], format: security.SecretlintFormat.JSON, gate }),
          // ESLint with eslint-plugin-security, SARIF out
          new security.EslintSecurity({ paths: ['app'], gate }),
          // the SBOM of the app's lockfile: kept with the stage's reports, not gated
          new security.CyclonedxNpm({ directory: 'app' }),
        ],
      }),
      Stage.deployStage('deploy', {
        environment: 'staging',
        steps: [new CommandStep({ name: 'deploy', commands: ['echo "deploying orders-api to staging"', 'mkdir -p dist', 'cp -r app/src dist/'] })],
      }),
    ],
  });
}

/** The pipeline `gatehouse run pipeline.ts` runs. */
export const pipeline = localAppPipeline();
