import * as fs from 'fs';
import * as path from 'path';
import { ReleaseBinary } from '../../src/security';
import { archive, plainBinary, run, runScript, sha, useReleaseHost } from '../security/pinned-binary-support';

/*
 * The release binary of a shell-less tool (Syft, Grype, cosign) is what decides an SBOM, an image
 * gate or a signature check before deploy: a swapped archive or binary on the release host, or a
 * tool and a download committed to the source tree, must never run in its place.
 */

const host = useReleaseHost();

describe('a pinned release binary', () => {
  test('any other archive stops the step before the tool runs', async () => {
    const good = archive('grype', 'the-real-grype');
    host.served.set('/grype.tar.gz', archive('grype', 'a-swapped-grype'));
    const r = await run({ name: 'grype', version: '0.114.0', url: `${host.base}/grype.tar.gz`, sha256: sha(good) }, 'grype');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/is not the release whose sha256 the pipeline pins/);
    expect(r.out).not.toMatch(/a-swapped-grype/);
  });

  test('a source tree holding its own `syft` and archive does not replace the verified binary', async () => {
    const tgz = archive('syft', 'the-real-syft');
    host.served.set('/syft2.tar.gz', tgz);
    const repo = fs.mkdtempSync(path.join(host.dir, 'repo-'));
    fs.writeFileSync(path.join(repo, 'syft'), '#!/bin/sh\necho the-repository-syft\n', { mode: 0o755 });
    fs.writeFileSync(path.join(repo, 'syft.tar.gz'), archive('syft', 'the-repository-archive'));
    const r = await run({ name: 'syft', version: '1.45.1', url: `${host.base}/syft2.tar.gz`, sha256: sha(tgz) }, 'syft', repo);
    expect(r).toEqual({ code: 0, out: 'the-real-syft\n' });
  });

  test('a swapped plain binary (cosign) stops the step before it runs', async () => {
    const good = plainBinary('the-real-cosign');
    host.served.set('/cosign-linux-amd64', plainBinary('a-cosign-that-verifies-anything'));
    const r = await run({ name: 'cosign', version: '2.4.1', url: `${host.base}/cosign-linux-amd64`, sha256: sha(good), packaging: 'binary' }, 'cosign verify');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/the downloaded binary is not the release whose sha256 the pipeline pins/);
    expect(r.out).not.toMatch(/verifies-anything/);
  });

  test('a source tree holding its own `cosign` and download does not replace the verified binary', async () => {
    const good = plainBinary('the-real-cosign');
    host.served.set('/cosign2', good);
    const repo = fs.mkdtempSync(path.join(host.dir, 'repo-'));
    fs.writeFileSync(path.join(repo, 'cosign'), '#!/bin/sh\necho the-repository-cosign\n', { mode: 0o755 });
    fs.writeFileSync(path.join(repo, 'cosign.download'), '#!/bin/sh\necho the-repository-download\n', { mode: 0o755 });
    const r = await run({ name: 'cosign', version: '2.4.1', url: `${host.base}/cosign2`, sha256: sha(good), packaging: 'binary' }, 'cosign', repo);
    expect(r).toEqual({ code: 0, out: 'the-real-cosign\n' });
  });

  test('a ReleaseBinary in a command step refuses a swapped download too', async () => {
    host.served.set('/relbin-swapped', plainBinary('a-swapped-tool'));
    const tool = ReleaseBinary.of({ name: 'relbin', version: '1.0.0', url: `${host.base}/relbin-swapped`, sha256: sha(plainBinary('the-real-tool')) });
    const r = await runScript(tool.installCommand(), 'relbin');
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(/a-swapped-tool/);
  });
});
