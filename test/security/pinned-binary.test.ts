import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { archive, run, sha, useReleaseHost } from './pinned-binary-support';
import { Grype, ScanTarget, ScannerImage, Syft } from '../../src/security';
import { GRYPE_BINARY, installPinnedBinary, SYFT_BINARY } from '../../src/security/internal/pinned-binary';
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

  test('an image that has the tool uses its own (nothing is downloaded)', async () => {
    const own = fs.mkdtempSync(path.join(host.dir, 'own-'));
    fs.writeFileSync(path.join(own, 'syft'), '#!/bin/sh\necho the-image-syft\n', { mode: 0o755 });
    const script = ['set -e', scratchDir('syft'), installPinnedBinary({ ...SYFT_BINARY, url: `${host.base}/never.tar.gz` }), 'syft'].join('\n');
    const out = execFileSync('/bin/sh', ['-c', script], { cwd: own, env: { PATH: `${own}:/usr/bin:/bin`, TMPDIR: os.tmpdir() }, encoding: 'utf8' });
    expect(out).toBe('the-image-syft\n');
  });
});

describe('the catalog', () => {
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
