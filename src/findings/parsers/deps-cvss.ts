import type * as Calculator from 'ae-cvss-calculator';

/**
 * CVSS base scores computed from vector strings, for reports that give a vector but no score
 * (osv-scanner, some CycloneDX producers). The scoring is ae-cvss-calculator's (CVSS v2, v3.0,
 * v3.1 and v4.0, the FIRST formulas and v4's macro-vector table); this module only decides which
 * vectors are complete. The library scores a vector with missing or unknown base metrics as 0, so a
 * vector is scored only when every base metric of its version is present with a defined value:
 * otherwise there is no score, and callers fall back to a severity label or `unknown` (fail closed).
 */

type Metrics = Map<string, string>;

let calculator: typeof Calculator | undefined;
/**
 * The calculator, loaded on the first vector to score: it builds its tables when loaded (about 40 ms),
 * which a gate over reports that carry their scores never needs.
 */
function lib(): typeof Calculator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  calculator ??= require('ae-cvss-calculator') as typeof Calculator;
  return calculator;
}

/** Base metrics and their defined values, per CVSS version. */
const BASE = {
  v2: { AV: 'LAN', AC: 'HML', Au: 'MSN', C: 'NPC', I: 'NPC', A: 'NPC' },
  v3: { AV: 'NALP', AC: 'LH', PR: 'NLH', UI: 'NR', S: 'UC', C: 'HLN', I: 'HLN', A: 'HLN' },
  v4: { AV: 'NALP', AC: 'LH', AT: 'NP', PR: 'NLH', UI: 'NPA', VC: 'HLN', VI: 'HLN', VA: 'HLN', SC: 'HLN', SI: 'HLN', SA: 'HLN' },
} as const;

/** Base score of a CVSS v4.0, v3.x or v2 vector, or undefined when the vector is not one of those or is incomplete. */
export function cvssScoreFromVector(vector: string | undefined): number | undefined {
  if (!vector) return undefined;
  const text = vector.trim().replace(/^\(|\)$/g, '');
  const metrics = parseMetrics(text);
  if (!metrics) return undefined;
  const body = text.replace(/^CVSS:[^/]*\//i, '');
  if (/^CVSS:4\.0\//i.test(text)) return complete(metrics, BASE.v4) ? score(() => new (lib().Cvss4P0)(`CVSS:4.0/${body}`)) : undefined;
  if (/^CVSS:3\.0\//i.test(text)) return complete(metrics, BASE.v3) ? score(() => new (lib().Cvss3P0)(`CVSS:3.0/${body}`)) : undefined;
  if (/^CVSS:3\.1\//i.test(text)) return complete(metrics, BASE.v3) ? score(() => new (lib().Cvss3P1)(`CVSS:3.1/${body}`)) : undefined;
  if (/^CVSS:/i.test(text)) return undefined;
  // CycloneDX writes v3 vectors without their prefix: v3.1 and v3.0 base scores are the same formula
  if (metrics.has('PR') || metrics.has('S')) return complete(metrics, BASE.v3) ? score(() => new (lib().Cvss3P1)(`CVSS:3.1/${body}`)) : undefined;
  if (metrics.has('Au')) return complete(metrics, BASE.v2) ? score(() => new (lib().Cvss2)(body)) : undefined;
  return undefined;
}

function parseMetrics(text: string): Metrics | undefined {
  const metrics: Metrics = new Map();
  for (const part of text.split('/')) {
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined) return undefined;
    if (key.toUpperCase() === 'CVSS') continue;
    if (metrics.has(key)) return undefined; // a metric given twice is not a vector
    metrics.set(key, value);
  }
  return metrics;
}

function complete(m: Metrics, base: Readonly<Record<string, string>>): boolean {
  return Object.entries(base).every(([key, values]) => {
    const v = m.get(key);
    return v !== undefined && v.length === 1 && values.includes(v);
  });
}

function score(make: () => { calculateScores(): { base?: number } }): number | undefined {
  try {
    const base = make().calculateScores().base;
    return typeof base === 'number' && Number.isFinite(base) && base >= 0 && base <= 10 ? base : undefined;
  } catch {
    return undefined;
  }
}
