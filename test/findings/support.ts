import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { normalizeFindings } from '../../src/findings/dedup';
import { Finding, RawFinding } from '../../src/findings/types';

/** Repository root and fixtures. */
export const ROOT = resolve(__dirname, '../..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const fixture = (...p: string[]): string => join(FIXTURES, ...p);

export const BANDIT = fixture('bandit', 'bandit-1.6.2.json');
export const TRIVY = fixture('trivy', 'defectdojo', 'trivy_scheme_2_many_vulns.json');
export const GRYPE = fixture('grype', 'defectdojo', 'anchore_grype_many_vulns.json');

/** A raw finding with sensible defaults. */
export function raw(over: Partial<RawFinding> = {}): RawFinding {
  return {
    tool: 'trivy',
    kind: 'vulnerability',
    ruleId: 'CVE-2024-0001',
    title: 'a vulnerability',
    severity: 'high',
    location: { package: 'openssl', version: '1.1.1k-r0' },
    ...over,
  };
}

/** Normalized findings from raw ones. */
export function findings(...raws: RawFinding[]): Finding[] {
  return normalizeFindings(raws);
}

/** A temporary directory removed after the test file. */
export function tempDir(): { dir: string; file(name: string, content: string | Buffer): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  return {
    dir,
    file(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** ISO date `days` from now (negative: in the past). */
export function isoDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
