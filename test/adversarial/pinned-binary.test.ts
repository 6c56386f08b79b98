import * as fs from 'fs';
import * as path from 'path';
import { archive, run, sha, useReleaseHost } from '../security/pinned-binary-support';

/*
 * The release binary of a shell-less scanner (Syft, Grype) is what decides an SBOM and an image
 * gate: a swapped archive on the release host, or a `syft` and an archive committed to the source
 * tree, must never run in its place.
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
});
