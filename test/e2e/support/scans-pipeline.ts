import { FailureStrategy, GatePolicy, GateSeverity, Pipeline, Source, Stage } from '../../../src/core';
import { Bandit, CyclonedxNpm, OpenScap, Secretlint } from '../../../src/security';

/** Stage of the scans. */
export const SCAN_STAGE = 'scan';

/** The samples of test/samples/ the scans read, copied together as one repository. */
export const SCANS_SAMPLES = ['bandit-app', 'secrets-repo', 'openscap-host', 'npm-app'];

/**
 * A small pipeline with the catalog entries whose scanners run on this machine (the seed has
 * Bandit only): each scan keeps its own gate, and the stage gates once over all their reports
 * with failure strategy IGNORE (the verdict is recorded, the pipeline goes on).
 */
export function scansPipeline(): Pipeline {
  return new Pipeline({
    name: 'e2e-scans',
    source: Source.gitHub({ owner: 'acme', repository: 'e2e-scans', branch: 'main' }),
    stages: [
      Stage.securityStage(SCAN_STAGE, {
        gate: new GatePolicy({ failOn: GateSeverity.HIGH, failureStrategy: FailureStrategy.IGNORE }),
        steps: [
          new Bandit({ paths: ['app'] }),
          new Secretlint(),
          // Debian 12 has SSG content for Debian 11 only: the sample's CPE dictionary makes it apply here
          new OpenScap({ cpeDictionary: 'cpe-dict-debian12-as-11.xml', installPackages: false }),
          new CyclonedxNpm(),
        ],
      }),
    ],
  });
}
