import { cleanup, runWithFakes } from './run-step';
import { Grype, ScanTarget, TrivyImage } from '../../src/security';

const REF = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:${'d'.repeat(64)}`;

describe('TrivyImage', () => {
  test('reads an image tarball with --input (no Docker daemon)', () => {
    const script = new TrivyImage({ target: ScanTarget.imageTarball('image.tar') }).commands.join('\n');
    expect(script).toContain("trivy image --scanners vuln --format json --output '.gatehouse/reports/trivy-image/trivy-image.json' --cache-dir '.gatehouse/cache/trivy' --config \"$gatehouse_scratch/trivy.yaml\" --ignorefile \"$gatehouse_scratch/trivyignore\" --input 'image.tar'");
  });

  test('pulls a registry image itself (--image-src remote)', () => {
    const script = new TrivyImage({ target: ScanTarget.registryImage(REF), skipDbUpdate: true }).commands.join('\n');
    expect(script).toContain(`--skip-db-update --config "$gatehouse_scratch/trivy.yaml" --ignorefile "$gatehouse_scratch/trivyignore" --image-src remote '${REF}'`);
  });

  test('fails the step on a trivy error', () => {
    const step = new TrivyImage({ target: ScanTarget.imageTarball('image.tar') });
    const run = runWithFakes(step, { trivy: { exitCode: 1 } });
    expect(run.status).toBe(1);
    cleanup(run);
  });

  test('fails on a folder as its target', () => {
    expect(() => new TrivyImage({ target: ScanTarget.directory('.') })).toThrow(/target is not an image/);
  });
});

describe('Grype', () => {
  test.each([
    [ScanTarget.imageTarball('image.tar'), "'docker-archive:image.tar'"],
    [ScanTarget.registryImage(REF), `'registry:${REF}'`],
    [ScanTarget.sbom('.gatehouse/reports/syft/sbom.cdx.json'), "'sbom:.gatehouse/reports/syft/sbom.cdx.json'"],
  ])('matches %j against the database in the cache', (target, source) => {
    const step = new Grype({ target });
    expect(step.commands.join('\n')).toContain(`${source} -c "$gatehouse_scratch/grype.yaml" -o json --file '.gatehouse/reports/grype/grype.json'`);
    expect(step.env.GRYPE_DB_CACHE_DIR).toBe('.gatehouse/cache/grype');
    expect(step.cacheDirs).toEqual(['.gatehouse/cache/grype']);
  });

  test('leaves the database alone with skipDbUpdate', () => {
    expect(new Grype({ target: ScanTarget.imageTarball('i.tar'), skipDbUpdate: true }).env.GRYPE_DB_AUTO_UPDATE).toBe('false');
    expect(new Grype({ target: ScanTarget.imageTarball('i.tar') }).env.GRYPE_DB_AUTO_UPDATE).toBeUndefined();
  });

  test('succeeds with findings (exit 0 without --fail-on) and fails on an error', () => {
    const step = new Grype({ target: ScanTarget.imageTarball('image.tar') });
    const ok = runWithFakes(step, { grype: { exitCode: 0, content: '{"matches":[{}]}', writeTo: step.reportFile } });
    expect(ok.status).toBe(0);
    expect(ok.calls[0]).toBe('grype docker-archive:image.tar -c <scratch>/grype.yaml -o json --file .gatehouse/reports/grype/grype.json');
    cleanup(ok);
    const bad = runWithFakes(step, { grype: { exitCode: 1 } });
    expect(bad.status).toBe(1);
    cleanup(bad);
  });

  test('fails on a folder as its target', () => {
    expect(() => new Grype({ target: ScanTarget.directory('.') })).toThrow(/target must be an image or an SBOM/);
  });

  test('fails on an image reference with shell characters', () => {
    expect(() => ScanTarget.registryImage('app:latest; curl evil')).toThrow(/is not an image reference/);
  });
});
