/**
 * CVSS base scores computed from vector strings, for reports that give a vector but no score
 * (osv-scanner, some CycloneDX producers). Formulas from the FIRST specifications:
 * CVSS v3.1 section 7 (also used for v3.0 vectors) and CVSS v2 section 3.2.1.
 * CVSS v4 is not computed (its scoring needs the macro-vector lookup table): callers fall back to a
 * severity label, and to `unknown` when there is none.
 *
 * Hand-written on purpose: the maintained calculator that also scores v4 (ae-cvss-calculator) adds
 * 188 KB to the gate bundle, which the Tekton engine ships in a ConfigMap that must stay under
 * kubectl's 256 KiB last-applied annotation; no smaller maintained library loads under Node.
 * The formulas are checked against every score the tools wrote in the real fixtures.
 */

type Metrics = Map<string, string>;

const V3 = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

const V2 = {
  AV: { L: 0.395, A: 0.646, N: 1.0 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  CIA: { N: 0, P: 0.275, C: 0.66 },
} as const;

/** Base score of a CVSS v3.x or v2 vector, or undefined when the vector is not one of those or is incomplete. */
export function cvssScoreFromVector(vector: string | undefined): number | undefined {
  if (!vector) return undefined;
  const text = vector.trim().replace(/^\(|\)$/g, '');
  if (/^CVSS:4/i.test(text)) return undefined;
  const metrics = parseMetrics(text);
  if (!metrics) return undefined;
  if (/^CVSS:3/i.test(text) || metrics.has('PR') || metrics.has('S')) return v3Score(metrics);
  if (metrics.has('Au')) return v2Score(metrics);
  return undefined;
}

function parseMetrics(text: string): Metrics | undefined {
  const metrics: Metrics = new Map();
  for (const part of text.split('/')) {
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined) return undefined;
    if (key.toUpperCase() === 'CVSS') continue;
    metrics.set(key, value);
  }
  return metrics;
}

function pick<T extends Record<string, number>>(table: T, value: string | undefined): number | undefined {
  return value !== undefined && Object.prototype.hasOwnProperty.call(table, value) ? table[value as keyof T] : undefined;
}

function v3Score(m: Metrics): number | undefined {
  const scope = m.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const changed = scope === 'C';
  const av = pick(V3.AV, m.get('AV'));
  const ac = pick(V3.AC, m.get('AC'));
  const ui = pick(V3.UI, m.get('UI'));
  const pr = pick(changed ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 }, m.get('PR'));
  const c = pick(V3.CIA, m.get('C'));
  const i = pick(V3.CIA, m.get('I'));
  const a = pick(V3.CIA, m.get('A'));
  if ([av, ac, ui, pr, c, i, a].some((x) => x === undefined)) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  if (impact <= 0) return 0;
  return roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10));
}

/** CVSS v3.1 Roundup: the smallest number with one decimal that is >= the input (float-safe). */
function roundUp(x: number): number {
  const scaled = Math.round(x * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

function v2Score(m: Metrics): number | undefined {
  const av = pick(V2.AV, m.get('AV'));
  const ac = pick(V2.AC, m.get('AC'));
  const au = pick(V2.Au, m.get('Au'));
  const c = pick(V2.CIA, m.get('C'));
  const i = pick(V2.CIA, m.get('I'));
  const a = pick(V2.CIA, m.get('A'));
  if ([av, ac, au, c, i, a].some((x) => x === undefined)) return undefined;
  const impact = 10.41 * (1 - (1 - c!) * (1 - i!) * (1 - a!));
  const exploitability = 20 * av! * ac! * au!;
  const f = impact === 0 ? 0 : 1.176;
  return Math.max(0, Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10);
}
