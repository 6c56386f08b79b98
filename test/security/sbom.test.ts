import { cleanup, runWithFakes } from './run-step';
import { CyclonedxNpm, SbomFormat, ScanTarget, Syft } from '../../src/security';

describe('Syft', () => {
  test.each([
    [ScanTarget.directory('.'), "'dir:.'"],
    [ScanTarget.imageTarball('build/image.tar'), "'docker-archive:build/image.tar'"],
    [ScanTarget.ociArchive('build/image.oci.tar'), "'oci-archive:build/image.oci.tar'"],
    [ScanTarget.registryImage(`registry.example.com/app@sha256:${'c'.repeat(64)}`), `'registry:registry.example.com/app@sha256:${'c'.repeat(64)}'`],
  ])('catalogs %j without a Docker daemon', (target, source) => {
    expect(new Syft({ target }).commands.join('\n')).toContain(`scan ${source} -c "$gatehouse_scratch/syft.yaml" -o 'cyclonedx-json=.gatehouse/reports/syft/sbom.cdx.json'`);
  });

  test('writes SPDX when asked, and exposes the SBOM file for attestation', () => {
    const step = new Syft({ format: SbomFormat.SPDX_JSON });
    expect(step.sbomFile).toBe('.gatehouse/reports/syft/sbom.spdx.json');
    expect(step.commands.join('\n')).toContain("-o 'spdx-json=.gatehouse/reports/syft/sbom.spdx.json'");
  });

  test('finds the binary outside PATH in the distroless debug image and fails on a syft error', () => {
    const step = new Syft();
    expect(step.commands.join('\n')).toContain('"$(command -v syft || ls /syft 2>/dev/null | head -n 1)" scan');
    const ok = runWithFakes(step, { syft: { exitCode: 0, content: '{"bomFormat":"CycloneDX"}', writeTo: step.reportFile } });
    expect(ok.status).toBe(0);
    cleanup(ok);
    const bad = runWithFakes(step, { syft: { exitCode: 1 } });
    expect(bad.status).toBe(1);
    cleanup(bad);
  });

  test('is not gated unless a gate is given', () => {
    expect(new Syft().gate).toBeUndefined();
  });

  test('fails on an SBOM as its target', () => {
    expect(() => new Syft({ target: ScanTarget.sbom('sbom.json') })).toThrow(/target is an SBOM: give a folder or an image/);
  });
});

describe('CyclonedxNpm', () => {
  test('reads the lockfile only and writes CycloneDX 1.6 JSON', () => {
    const step = new CyclonedxNpm({ directory: 'web', omitDev: true });
    const script = step.commands.join('\n');
    expect(script).toContain("npx --yes '@cyclonedx/cyclonedx-npm@6.0.1'");
    expect(script).toContain('gatehouse_sbom="$PWD"/\'.gatehouse/reports/cyclonedx-npm/sbom.cdx.json\'; (cd \'web\' && "$@" --output-format JSON --spec-version 1.6 --output-file "$gatehouse_sbom" --package-lock-only --omit dev)');
    expect(step.sbomFile).toBe('.gatehouse/reports/cyclonedx-npm/sbom.cdx.json');
    // the tool's dependency tree runs no install scripts in the pipeline
    expect(step.env.npm_config_ignore_scripts).toBe('true');
  });

  test('uses an installed cyclonedx-npm instead of npx, and fails on its errors', () => {
    const step = new CyclonedxNpm();
    const ok = runWithFakes(step, { 'cyclonedx-npm': { exitCode: 0, content: '{"bomFormat":"CycloneDX"}', writeTo: step.reportFile } });
    expect(ok.status).toBe(0);
    expect(ok.calls[0]).toMatch(/^cyclonedx-npm --output-format JSON --spec-version 1\.6 --output-file \/.*\/\.gatehouse\/reports\/cyclonedx-npm\/sbom\.cdx\.json --package-lock-only$/);
    cleanup(ok);
    const bad = runWithFakes(step, { 'cyclonedx-npm': { exitCode: 1 } });
    expect(bad.status).toBe(1);
    cleanup(bad);
  });

  test('fails on a spec version CycloneDX does not have', () => {
    expect(() => new CyclonedxNpm({ specVersion: '2.0' })).toThrow(/specVersion "2.0" is not a CycloneDX 1.2–1.7 version/);
  });
});
