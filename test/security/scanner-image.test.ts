import { DigestProvenance, ScannerImage, ScanTarget } from '../../src/security';

describe('ScannerImage', () => {
  test('of() pins any image by digest and marks it as given by the user', () => {
    const img = ScannerImage.of('registry.example.com:5000/tools/trivy', '0.58.0', `sha256:${'f'.repeat(64)}`);
    expect(img.reference).toBe(`registry.example.com:5000/tools/trivy:0.58.0@sha256:${'f'.repeat(64)}`);
    expect(img.pinned).toBe(true);
    expect(img.provenance).toBe(DigestProvenance.USER);
    expect(img.digestVerified).toBe(true);
  });

  test('fails on a missing or malformed digest (an unpinned scanner is not a control)', () => {
    expect(() => ScannerImage.of('aquasec/trivy', '0.58.0', '')).toThrow(/digest "" is not sha256:<64 lowercase hex>/);
    expect(() => ScannerImage.of('aquasec/trivy', '0.58.0', `sha256:${'F'.repeat(64)}`)).toThrow(/is not sha256/);
    expect(() => ScannerImage.of('aquasec/trivy', '0.58.0', 'sha256:abc')).toThrow(/is not sha256/);
  });

  test('fails on a repository or tag that is not a valid reference', () => {
    expect(() => ScannerImage.of('Aquasec/Trivy', '1', `sha256:${'a'.repeat(64)}`)).toThrow(/repository "Aquasec\/Trivy" is not a valid image repository/);
    expect(() => ScannerImage.of('aquasec/trivy', 'v1;id', `sha256:${'a'.repeat(64)}`)).toThrow(/tag "v1;id" is not a valid tag/);
  });

  test('the distroless tools default to their shell-bearing variants', () => {
    expect(ScannerImage.SYFT.tag).toMatch(/-debug$/);
    expect(ScannerImage.GRYPE.tag).toMatch(/-debug$/);
    expect(ScannerImage.COSIGN.tag).toMatch(/-dev$/);
    for (const img of [ScannerImage.SYFT, ScannerImage.GRYPE, ScannerImage.COSIGN]) expect(img.shell).toMatch(/busybox/);
    // distroless debug images have no /bin/sh: engines must start the commands with busybox's
    expect(ScannerImage.SYFT.shellPath).toBe('/busybox/sh');
    expect(ScannerImage.GRYPE.shellPath).toBe('/busybox/sh');
    expect(ScannerImage.TRIVY.shellPath).toBe('/bin/sh');
  });

  test('of() takes the shell path of an image without /bin/sh, and fails on a relative one', () => {
    expect(ScannerImage.of('anchore/syft', 'v1.45.1-debug', `sha256:${'a'.repeat(64)}`, '/busybox/sh').shellPath).toBe('/busybox/sh');
    expect(() => ScannerImage.of('anchore/syft', 'v1', `sha256:${'a'.repeat(64)}`, 'sh')).toThrow(/shellPath "sh" is not an absolute path/);
  });
});

describe('ScanTarget', () => {
  test('fails on paths with shell characters or outside the source root', () => {
    expect(() => ScanTarget.imageTarball('image.tar; id')).toThrow(/is not a plain path/);
    expect(() => ScanTarget.directory('../../')).toThrow(/leaves the source root/);
  });

  test('accepts registry references by tag or digest', () => {
    expect(ScanTarget.registryImage('ghcr.io/acme/app:1.0').isImage).toBe(true);
    expect(ScanTarget.registryImage(`ghcr.io/acme/app@sha256:${'1'.repeat(64)}`).value).toContain('@sha256:');
    expect(ScanTarget.sbom('sbom.json').isImage).toBe(false);
  });
});
