/**
 * Where to read about a vulnerability, weakness or rule id: the public page of the catalogue it
 * comes from. Only ids of a known shape get a link; anything else stays plain text.
 */

/** Ids whose shape alone tells the catalogue, most specific first. */
const BY_SHAPE: Array<[RegExp, (id: string) => string]> = [
  [/^CVE-\d{4}-\d{4,}$/i, (id) => `https://nvd.nist.gov/vuln/detail/${id.toUpperCase()}`],
  [/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i, (id) => `https://github.com/advisories/${id}`],
  [/^(PYSEC|RUSTSEC|GO|OSV|GSD|MAL)-[0-9A-Za-z-]+$/, (id) => `https://osv.dev/vulnerability/${id}`],
  [/^CWE-\d+$/i, (id) => `https://cwe.mitre.org/data/definitions/${id.slice(4)}.html`],
  [/^AVD-[A-Z]+-\d+$/i, (id) => `https://avd.aquasec.com/misconfig/${id.toLowerCase()}`],
  [/^DL\d{4}$/, (id) => `https://github.com/hadolint/hadolint/wiki/${id}`],
  [/^SC\d{4}$/, (id) => `https://www.shellcheck.net/wiki/${id}`],
];

/** Ids a tool names in its own scheme. */
const BY_TOOL: Record<string, Array<[RegExp, (id: string) => string]>> = {
  bandit: [[/^B\d{3}$/, (id) => `https://bandit.readthedocs.io/en/latest/search.html?q=${id}`]],
  semgrep: [[/^[\w-]+(\.[\w-]+)+$/, (id) => `https://semgrep.dev/r/${id}`]],
  checkov: [[/^CKV2?_[A-Z0-9_]+$/, (id) => `https://www.checkov.io/5.Policy%20Index/all.html?q=${id}`]],
  gosec: [[/^G\d{3}$/, () => 'https://github.com/securego/gosec#available-rules']],
};

/** The page of `id` (a CVE, GHSA, OSV, CWE or a rule of `tools`), or undefined. */
export function idUrl(id: string, tools: readonly string[] = []): string | undefined {
  const t = id.trim();
  for (const [re, url] of BY_SHAPE) if (re.test(t)) return url(t);
  for (const tool of tools) {
    for (const [re, url] of BY_TOOL[tool] ?? []) if (re.test(t)) return url(t);
  }
  return undefined;
}

/** The ids of a finding worth a link (rule, CVEs, CWEs), each once, with their page. */
export function findingLinks(f: {
  ruleId: string;
  tools: readonly string[];
  cves?: readonly string[];
  cwes?: readonly string[];
}): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const id of [f.ruleId, ...(f.cves ?? []), ...(f.cwes ?? [])]) {
    const key = id.toUpperCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const url = idUrl(id, f.tools);
    if (url) out.push([id, url]);
  }
  return out;
}
