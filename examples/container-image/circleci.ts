import { circleci, security } from 'gatehouse';
import { containerImage } from './pipeline';

/**
 * The cosign key pair on CircleCI: context `hello-api-cosign` holding it as environment variables
 * (a context holds variables, not files or keys with dots).
 */
export const CIRCLECI_SIGNING_KEY = security.CosignKey.secret('hello-api-cosign', {
  privateKeyField: 'COSIGN_KEY',
  passwordField: 'COSIGN_KEY_PASSWORD',
  publicKeyField: 'COSIGN_PUB',
});

/** The pipeline on CircleCI: `.circleci/config.yml` and the bundled gate under `outdir` (the repository root). */
export function synth(outdir: string): string[] {
  const engine = new circleci.CircleCiEngine(containerImage({ signingKey: CIRCLECI_SIGNING_KEY }));
  const written = engine.writeTo(outdir);
  engine.writePolicyFiles(outdir);
  return [
    `${written.length} files: ${Object.keys(engine.files).join(', ')}`,
    `workflow ${engine.workflowName}: ${engine.jobNames.length} jobs (${engine.jobNames.join(' → ')})`,
  ];
}

if (require.main === module) {
  for (const line of synth(process.argv[2] ?? '.')) console.error(line);
}
