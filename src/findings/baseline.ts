import { decodeJsonBytes, readInputBytes } from './signed-input';
import { Finding, ReportError } from './types';

/** The fingerprints of an earlier run: findings present there are `existing`. */
export interface Baseline {
  readonly file: string;
  readonly fingerprints: ReadonlySet<string>;
}

/**
 * Reads a baseline: an earlier normalized JSON output of gatehouse (`gatehouse findings` or
 * `gate --json`), i.e. an object with a `findings` array whose items carry a `fingerprint`.
 * Anything else is bad input: a baseline that cannot be read must not silently mark nothing.
 */
export function readBaseline(file: string): Baseline {
  return readBaselineBytes(file, readInputBytes(file, 'baseline'));
}

/** Reads a baseline from bytes already read (the bytes whose signature was checked). */
export function readBaselineBytes(file: string, bytes: Buffer): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(decodeJsonBytes(file, bytes, 'baseline').replace(/^\uFEFF/, ''));
  } catch (e) {
    if (e instanceof ReportError) throw e;
    throw new ReportError(file, `baseline is not valid JSON (truncated or corrupt): ${(e as Error).message.slice(0, 200)}`);
  }
  const findings = (doc as { findings?: unknown })?.findings;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(findings)) {
    throw new ReportError(file, 'is not a gatehouse baseline: expected the JSON output of `gatehouse findings` or `gatehouse gate --json` (an object with a "findings" array)');
  }
  const fingerprints = new Set<string>();
  findings.forEach((f, i) => {
    const fp = (f as { fingerprint?: unknown })?.fingerprint;
    if (typeof fp !== 'string' || !/^[0-9a-f]{8,64}$/.test(fp)) {
      throw new ReportError(file, `baseline findings[${i}] has no valid "fingerprint" (hex string)`);
    }
    fingerprints.add(fp);
  });
  return { file, fingerprints };
}

/** Marks open findings present in the baseline as `existing`. Returns how many were marked. */
export function applyBaseline(findings: Finding[], baseline: Baseline): number {
  let n = 0;
  for (const f of findings) {
    if (f.status === 'open' && baseline.fingerprints.has(f.fingerprint)) {
      f.status = 'existing';
      f.statusReason = `in baseline ${baseline.file}`;
      n++;
    }
  }
  return n;
}
