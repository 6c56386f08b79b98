import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { archive, plainBinary, run, runScript, sha, useReleaseHost } from './pinned-binary-support';
import {
  CosignAttest, CosignKey, CosignSign, CosignVerify, Grype, ReleaseBinary, ReleasePackaging, ScanTarget, ScannerImage, SignedArtifact, Syft,
} from '../../src/security';
import { COSIGN_BINARY, GRYPE_BINARY, installPinnedBinary, PinnedBinary, SYFT_BINARY } from '../../src/security/internal/pinned-binary';
import { scratchDir } from '../../src/security/internal/suppressions';

/*
 * Scanners whose images have no shell run in the catalog's Python image with their release binary,
 * checked against the sha256 the pipeline pins. The install line runs here for real (sh, python3,
 * sha256sum, tar) against a local HTTPS server standing in for the release host.
 */

const host = useReleaseHost();

describe('a pinned release binary', () => {
  test('the archive whose sha256 the pipeline pins is unpacked and runs', async () => {
    const tgz = archive('syft', 'the-real-syft');
    host.served.set('/syft.tar.gz', tgz);
    const r = await run({ name: 'syft', version: '1.45.1', url: `${host.base}/syft.tar.gz`, sha256: sha(tgz) }, 'syft');
    expect(r).toEqual({ code: 0, out: 'the-real-syft\n' });
  });

  test('a download that fails stops the step', async () => {
    const r = await run({ name: 'syft', version: '1.45.1', url: `${host.base}/missing.tar.gz`, sha256: 'a'.repeat(64) }, 'syft');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/could not download/);
  });

  test('a release that ships the plain binary (cosign) is checked and runs from the temporary folder, outside the source tree', async () => {
    const bin = plainBinary('the-real-cosign');
    host.served.set('/cosign-linux-amd64', bin);
    const work = fs.mkdtempSync(path.join(host.dir, 'work-'));
    const r = await run({ name: 'cosign', version: '2.4.1', url: `${host.base}/cosign-linux-amd64`, sha256: sha(bin), packaging: 'binary' }, 'cosign; command -v cosign', work);
    expect(r.code).toBe(0);
    const [says, where] = r.out.trim().split('\n');
    expect(says).toBe('the-real-cosign');
    expect(where.startsWith(work)).toBe(false);
    expect(fs.readdirSync(work)).toEqual([]);
  });

  test('an install line refuses a download address or checksum it cannot pin', () => {
    const bad: PinnedBinary[] = [
      { ...SYFT_BINARY, url: SYFT_BINARY.url.replace('.tar.gz', '.zip') },
      { ...COSIGN_BINARY, url: 'http://github.com/sigstore/cosign/releases/download/v2.4.1/cosign-linux-amd64' },
      { ...COSIGN_BINARY, url: `${COSIGN_BINARY.url}?x=$(id)` },
      { ...COSIGN_BINARY, sha256: COSIGN_BINARY.sha256.toUpperCase() },
    ];
    for (const b of bad) expect(() => installPinnedBinary(b)).toThrow(/bad url, name or sha256/);
  });

  test('an image that has the tool uses its own (nothing is downloaded)', async () => {
    const own = fs.mkdtempSync(path.join(host.dir, 'own-'));
    fs.writeFileSync(path.join(own, 'syft'), '#!/bin/sh\necho the-image-syft\n', { mode: 0o755 });
    const script = ['set -e', scratchDir('syft'), installPinnedBinary({ ...SYFT_BINARY, url: `${host.base}/never.tar.gz` }), 'syft'].join('\n');
    const out = execFileSync('/bin/sh', ['-c', script], { cwd: own, env: { PATH: `${own}:/usr/bin:/bin`, TMPDIR: os.tmpdir() }, encoding: 'utf8' });
    expect(out).toBe('the-image-syft\n');
  });
});

describe('the catalog', () => {
  const REF = 'registry.example.com/team/app@sha256:' + 'a'.repeat(64);
  test.each([
    ['CosignSign', new CosignSign({ artifact: SignedArtifact.image(REF), key: CosignKey.secret('keys') })],
    ['CosignSign (blob)', new CosignSign({ artifact: SignedArtifact.blob('dist/app.tgz'), key: CosignKey.secret('keys') })],
    ['CosignAttest', new CosignAttest({ artifact: SignedArtifact.image(REF), key: CosignKey.secret('keys'), predicate: 'sbom.cdx.json' })],
    ['CosignVerify', new CosignVerify({ artifact: SignedArtifact.image(REF), key: CosignKey.secret('keys') })],
    ['CosignVerify (blob)', new CosignVerify({ artifact: SignedArtifact.blob('dist/app.tgz'), key: CosignKey.secret('keys'), bundle: 'artifact.bundle' })],
  ])('%s runs in the pinned Python image with the cosign release binary checked by sha256 before cosign runs', (_, step) => {
    expect(step.image).toBe(ScannerImage.PYTHON.reference);
    const script = step.commands.join('\n');
    expect(COSIGN_BINARY.url).toBe('https://github.com/sigstore/cosign/releases/download/v2.4.1/cosign-linux-amd64');
    expect(script).toContain(`'${COSIGN_BINARY.url}'`);
    expect(script).toContain(`'${COSIGN_BINARY.sha256}  '`);
    const firstCosign = script.search(/(^|\s)cosign (sign|attest|verify)/m);
    expect(firstCosign).toBeGreaterThan(0);
    expect(script.indexOf('sha256sum -c')).toBeLessThan(firstCosign);
  });

  test('a cosign entry given an image runs in it (its own cosign first on PATH)', () => {
    const own = ScannerImage.of('registry.example.com/tools/cosign', '2.4.1', 'sha256:' + 'b'.repeat(64));
    const step = new CosignVerify({ artifact: SignedArtifact.image(REF), key: CosignKey.secret('keys'), image: own });
    expect(step.image).toBe(own.reference);
    expect(step.commands.join('\n')).toContain('if ! command -v cosign >/dev/null 2>&1; then');
  });

  test.each([
    ['Syft', new Syft(), SYFT_BINARY],
    ['Grype', new Grype({ target: ScanTarget.imageTarball('image.tar') }), GRYPE_BINARY],
  ])('%s runs in the pinned Python image with its release binary checked by sha256', (_, step, b) => {
    expect(step.image).toBe(ScannerImage.PYTHON.reference);
    expect(ScannerImage.PYTHON.reference).toMatch(/@sha256:[a-f0-9]{64}$/);
    const script = step.commands.join('\n');
    expect(script).toContain(b.url);
    expect(script).toContain(`'${b.sha256}  '`);
    // the tool runs after the check
    expect(script.indexOf('sha256sum -c')).toBeGreaterThan(0);
    expect(script.indexOf('sha256sum -c')).toBeLessThan(script.indexOf(`"$(command -v ${b.name} ||`));
  });
});

describe('ReleaseBinary (a pinned tool for any command step)', () => {
  test('installCommand makes the checked binary runnable, in one command line', async () => {
    const bin = plainBinary('the-real-tool');
    host.served.set('/bin/relbin', bin);
    const tool = ReleaseBinary.of({ name: 'relbin', version: '1.0.0', url: `${host.base}/bin/relbin`, sha256: sha(bin) });
    expect(tool.packaging).toBe(ReleasePackaging.BINARY);
    expect(tool.installCommand()).not.toContain('\n');
    expect(await runScript(tool.installCommand(), 'relbin')).toEqual({ code: 0, out: 'the-real-tool\n' });
  });

  test('a tar.gz release is unpacked', async () => {
    const tgz = archive('relarc', 'the-archived-tool');
    host.served.set('/relarc.tar.gz', tgz);
    const tool = ReleaseBinary.of({ name: 'relarc', version: '2.0.0', url: `${host.base}/relarc.tar.gz`, sha256: sha(tgz), packaging: ReleasePackaging.TAR_GZ });
    expect(await runScript(tool.installCommand(), 'relarc')).toEqual({ code: 0, out: 'the-archived-tool\n' });
  });

  test('fails on bad properties, listing every one with its fix', () => {
    expect(() => ReleaseBinary.of({ name: 'Kube ctl', version: '', url: 'http://dl.example.com/kubectl', sha256: 'abc' })).toThrow(
      /release binary Kube ctl: name "Kube ctl" is not a command name.*; version "" is empty.*; url "http:\/\/dl\.example\.com\/kubectl" is not a plain https URL.*; sha256 "abc" is not 64 lowercase hex digits/,
    );
    expect(() => ReleaseBinary.of({ name: 'tool', version: '1', url: 'https://example.com/tool', sha256: 'a'.repeat(64), packaging: ReleasePackaging.TAR_GZ })).toThrow(
      /does not end with \.tar\.gz, and packaging is TAR_GZ/,
    );
  });
});
