import { GateResult } from '../engine';
import { UsageError } from '../errors';
import { GateOptions } from '../gate';
import { Finding, SEVERITIES } from '../types';
import { findingJson, gateJsonHead } from './json';
import { findingLinks } from './links';
import { policyLineOf } from './status-counts';
import { locationText } from './text-location';

/** A finding as `gate --json` writes it (the fields the report reads). */
export interface ReportFinding {
  fingerprint: string;
  tools: string[];
  kind: string;
  ruleId: string;
  title: string;
  severity: string;
  status: string;
  statusReason?: string;
  failsGate?: boolean;
  location: Finding['location'];
  cves?: string[];
  cwes?: string[];
  fixVersion?: string;
}

/** The document `gate --json` writes: the input of `gatehouse report` and of the HTML report. */
export interface GateReportDocument {
  findings: ReportFinding[];
  time: string;
  gate: {
    verdict: string;
    passed: boolean;
    allowFailure: boolean;
    reasons: string[];
    options: GateOptions;
    checks: Array<{ severity: string; count: number; limit?: number; limitFrom: string; exceeded: boolean }>;
  };
  summary: { total: number; bySeverity: Record<string, number>; byTool: Record<string, number> };
  reports: Array<{ file: string; format: string; tool: string; findings: number }>;
  exemptions: Array<{
    id: string;
    state: string;
    problems: string[];
    matched: string[];
    rule?: string;
    fingerprint?: string;
    reason?: string;
    requestedBy?: string;
    approvedBy?: string;
    expires?: string;
  }>;
  vex: {
    files: string[];
    statements: number;
    suppressed: number;
    documents?: Array<{ file: string; applied: boolean; statements: number; signedBy?: string; problem?: string }>;
  };
  baseline?: { file: string; applied: boolean; signedBy?: string; problem?: string; existing: number; new: number };
  warnings: string[];
}

/** The gate's result as the document `gate --json` writes. */
export function gateReportDocument(r: GateResult): GateReportDocument {
  const findings = r.findings.map((f) => findingJson(f, r.decision.failing.has(f.fingerprint)) as unknown as ReportFinding);
  return { findings, ...(gateJsonHead(r) as unknown as Omit<GateReportDocument, 'findings'>) };
}

/** Reads a `gate --json` document, or says what is wrong with it. */
export function parseGateReportDocument(text: string, file: string): GateReportDocument {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not JSON (${(e as Error).message}): give the file gatehouse gate --json wrote`);
  }
  const problems: string[] = [];
  if (!doc || typeof doc !== 'object') {problems.push('not an object');} else {
    if (doc.generatedBy !== 'gatehouse') problems.push('generatedBy is not "gatehouse"');
    if (doc.schemaVersion !== 1) problems.push(`schemaVersion ${JSON.stringify(doc.schemaVersion)} is not 1`);
    if (!Array.isArray(doc.findings)) problems.push('findings is not a list');
    if (!doc.gate || typeof doc.gate.verdict !== 'string' || !Array.isArray(doc.gate.reasons)) problems.push('no gate verdict (gatehouse findings output has none)');
    for (const k of ['reports', 'exemptions', 'warnings']) if (!Array.isArray(doc[k])) problems.push(`${k} is not a list`);
    if (!doc.summary || typeof doc.summary.bySeverity !== 'object') problems.push('no summary');
  }
  if (problems.length) throw new UsageError(`${file} is not the output of gatehouse gate --json: ${problems.join('; ')}`);
  return doc as GateReportDocument;
}

const SEVERITY_COLOURS: Record<string, string> = {
  critical: '#8e0000',
  high: '#d84315',
  medium: '#f9a825',
  low: '#1976d2',
  info: '#607d8b',
  unknown: '#9e9e9e',
};

/** Tools shown in the chart at most; the rest are summed as `others`. */
const TOP_TOOLS = 12;

function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A horizontal bar chart, one `g.bar` per row carrying its key and count. */
function barChart(id: string, title: string, rows: Array<{ key: string; count: number; colour: string }>): string {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const labelW = 120;
  const barW = 240;
  const h = 22;
  const out = [`<svg id="${id}" class="chart" role="img" aria-label="${esc(title)}" width="${labelW + barW + 70}" height="${rows.length * h + 6}" viewBox="0 0 ${labelW + barW + 70} ${rows.length * h + 6}">`];
  rows.forEach((r, i) => {
    const y = i * h + 3;
    const w = r.count === 0 ? 0 : Math.max(2, Math.round((r.count / max) * barW));
    out.push(
      `<g class="bar" data-key="${esc(r.key)}" data-count="${r.count}"><title>${esc(r.key)}: ${r.count}</title>` +
        `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(r.key.length > 18 ? `${r.key.slice(0, 17)}…` : r.key)}</text>` +
        `<rect x="${labelW}" y="${y}" width="${w}" height="${h - 6}" rx="2" fill="${r.colour}"/>` +
        `<text class="n" x="${labelW + w + 6}" y="${y + 14}">${r.count}</text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/** JSON safe inside a `<script>` element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const CSS = `:root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#212121}body{margin:0 auto;max-width:1280px;padding:16px 24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #e0e0e0;padding-bottom:4px}
.verdict{padding:14px 18px;border-radius:6px;color:#fff;margin:12px 0}.verdict.PASSED{background:#2e7d32}.verdict.FAILED{background:#c62828}.verdict.allowed{background:#ef6c00}
.verdict ul{margin:6px 0 0;padding-left:20px}.muted{color:#616161}.charts{display:flex;flex-wrap:wrap;gap:24px}.chart text{font-size:12px;fill:#212121}
table{border-collapse:collapse;width:100%;margin:6px 0}#findings{table-layout:fixed}#findings td{overflow-wrap:anywhere}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#fafafa;font-weight:600}th.sort{cursor:pointer;user-select:none}th.sort:after{content:" ↕";color:#bdbdbd}td.num,th.num{text-align:right}
.sev{display:inline-block;min-width:58px;text-align:center;border-radius:3px;color:#fff;font-size:12px;padding:0 4px}
${Object.entries(SEVERITY_COLOURS).map(([s, c]) => `.sev-${s}{background:${c}}`).join('')}
tr.fails td:first-child{box-shadow:inset 3px 0 #c62828}code,.fp{font:12px ui-monospace,Menlo,Consolas,monospace}.fp{color:#757575}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:8px 0}.filters select,.filters input{font:inherit;padding:2px 4px}
.pager{display:flex;gap:8px;align-items:center;margin:8px 0}.bad{color:#c62828}.ok{color:#2e7d32}a{color:#1565c0}`;

/** The table's script: filters, sorting and one page of rows at a time (40,000 findings stay quick). */
const SCRIPT = `(function(){"use strict";
var D=JSON.parse(document.getElementById("gh-data").textContent),F=D.f,S=D.sev,P=100,rows=F,st={key:0,dir:1,page:0};
function $(i){return document.getElementById(i)}
function esc(s){return String(s).replace(/[&<>"']/g,function(c){return"&#"+c.charCodeAt(0)+";"})}
function val(i){var e=$(i);return e?e.type==="checkbox"?e.checked:e.value:""}
function apply(){var sev=val("f-sev"),tool=val("f-tool"),status=val("f-status"),base=val("f-base"),fails=val("f-fails"),q=val("f-q").toLowerCase();
rows=F.filter(function(r){if(sev!==""&&r[0]!==+sev)return false;if(tool&&(","+r[1]+",").indexOf(","+tool+",")<0)return false;
if(status&&r[2]!==status)return false;if(base==="new"&&r[2]==="existing")return false;if(base==="existing"&&r[2]!=="existing")return false;
if(fails&&!r[3])return false;if(q&&(r[4]+" "+r[5]+" "+r[6]+" "+r[8]+" "+r[1]).toLowerCase().indexOf(q)<0)return false;return true});sort();st.page=0;draw()}
function sort(){var k=st.key,d=st.dir;rows=rows.slice().sort(function(a,b){var x=a[k],y=b[k];if(x===y)return a[0]-b[0]||(a[4]<b[4]?-1:a[4]>b[4]?1:0);return(x<y?-1:1)*d})}
function link(l){return'<a href="'+esc(l[1])+'" target="_blank" rel="noopener noreferrer">'+esc(l[0])+"</a>"}
function draw(){var n=rows.length,pages=Math.max(1,Math.ceil(n/P));if(st.page>=pages)st.page=pages-1;var o=[],end=Math.min(n,(st.page+1)*P);
for(var i=st.page*P;i<end;i++){var r=rows[i],ls=r[7],rule=esc(r[4]),more=[];for(var j=0;j<ls.length;j++){if(ls[j][0]===r[4])rule=link(ls[j]);else more.push(link(ls[j]))}
o.push('<tr class="'+(r[3]?"fails":"")+'" data-fp="'+esc(r[8])+'"><td><span class="sev sev-'+S[r[0]]+'">'+S[r[0]]+"</span></td><td><code>"+rule+"</code>"+(more.length?"<br>"+more.join(" "):"")+
"</td><td>"+esc(r[5])+(r[10]?' <span class="muted">fix: '+esc(r[10])+"</span>":"")+"</td><td><code>"+esc(r[6])+"</code></td><td>"+esc(r[1])+"</td><td>"+esc(r[2])+(r[9]?'<br><span class="muted">'+esc(r[9])+"</span>":"")+(r[3]?' <b class="bad">fails gate</b>':"")+
'</td><td class="fp">'+esc(r[8])+"</td></tr>")}
$("gh-rows").innerHTML=o.join("");$("gh-shown").textContent=String(n);$("gh-page").textContent=n?"rows "+(st.page*P+1)+"–"+end+" of "+n+" · page "+(st.page+1)+" of "+pages:"no finding matches";
$("gh-prev").disabled=st.page===0;$("gh-next").disabled=st.page>=pages-1}
["f-sev","f-tool","f-status","f-base","f-fails"].forEach(function(i){var e=$(i);if(e)e.addEventListener("change",apply)});$("f-q").addEventListener("input",apply);
$("gh-prev").addEventListener("click",function(){st.page--;draw()});$("gh-next").addEventListener("click",function(){st.page++;draw()});
Array.prototype.forEach.call(document.querySelectorAll("th.sort"),function(th){th.addEventListener("click",function(){var k=+th.getAttribute("data-k");st.dir=st.key===k?-st.dir:1;st.key=k;sort();draw()})});
apply()})();`;

/**
 * The gate's findings report as one self-contained HTML page (inline CSS, script and SVG charts; a
 * Content-Security-Policy that allows no network request): the verdict and why, counts by severity
 * and tool, a table that sorts, filters and pages through every finding, the exemptions, and what
 * was refused. Opens from disk or from a bucket.
 */
export function* reportHtmlChunks(doc: GateReportDocument): Generator<string> {
  const g = doc.gate;
  const allowed = !g.passed && g.allowFailure;
  const sevIndex = new Map(SEVERITIES.map((s, i) => [s as string, i]));
  const tools = Object.entries(doc.summary.byTool).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const toolRows = tools.slice(0, TOP_TOOLS).map(([key, count]) => ({ key, count, colour: '#5c6bc0' }));
  if (tools.length > TOP_TOOLS) toolRows.push({ key: `${tools.length - TOP_TOOLS} others`, count: tools.slice(TOP_TOOLS).reduce((n, [, c]) => n + c, 0), colour: '#9fa8da' });
  const statuses = ['open', 'existing', 'exempted', 'suppressed'];
  const counts: Record<string, Record<string, number>> = {};
  for (const s of SEVERITIES) counts[s] = Object.fromEntries(statuses.map((st) => [st, 0]));
  for (const f of doc.findings) if (counts[f.severity]?.[f.status] !== undefined) counts[f.severity][f.status]++;
  const title = `gatehouse gate: ${g.verdict}`;

  yield '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">';
  yield '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:">';
  yield `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body>`;
  yield `<h1>gatehouse findings report</h1><div class="muted">gate run ${esc(doc.time)} · ${doc.reports.length} report(s) · ${doc.summary.total} distinct finding(s)</div>`;
  yield `<section id="verdict" class="verdict ${allowed ? 'allowed' : g.verdict}" data-verdict="${esc(g.verdict)}"><b style="font-size:20px">${esc(g.verdict)}</b>${allowed ? ' (failure allowed: the pipeline goes on)' : ''}`;
  yield `<div>policy: ${esc(policyLineOf(g.options))}</div>`;
  if (g.reasons.length) yield `<ul>${g.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`;
  yield '</section>';

  yield '<h2>Counts</h2><div class="charts"><div><b>by severity</b><br>';
  yield barChart('chart-severity', 'findings by severity', SEVERITIES.map((s) => ({ key: s, count: doc.summary.bySeverity[s] ?? 0, colour: SEVERITY_COLOURS[s] })));
  yield '</div><div><b>by tool</b> <span class="muted">(a finding two tools report counts for each)</span><br>';
  yield barChart('chart-tool', 'findings by tool', toolRows);
  yield '</div></div>';
  yield `<table id="counts"><thead><tr><th>severity</th>${statuses.map((s) => `<th class="num">${s}</th>`).join('')}<th class="num">total</th><th class="num">limit</th></tr></thead><tbody>`;
  for (const s of SEVERITIES) {
    const check = g.checks.find((c) => c.severity === s);
    const limit = check?.limit === undefined ? '' : `<span class="${check.exceeded ? 'bad' : 'ok'}">${check.count} / ${check.limit}${check.exceeded ? ' exceeded' : ''}</span>`;
    yield `<tr><td><span class="sev sev-${s}">${s}</span></td>${statuses.map((st) => `<td class="num">${counts[s][st]}</td>`).join('')}<td class="num">${doc.summary.bySeverity[s] ?? 0}</td><td class="num">${limit}</td></tr>`;
  }
  yield '</tbody></table>';

  const refused: string[] = [];
  for (const e of doc.exemptions) {
    if (e.state !== 'valid') refused.push(`exemption <code>${esc(e.id)}</code> ${esc(e.state)}: ${esc(e.problems.join('; '))}${e.matched.length ? ` — ${e.matched.length} finding(s) it names stay open` : ''}`);
  }
  for (const d of doc.vex.documents ?? []) {
    if (!d.applied) refused.push(`VEX document <code>${esc(d.file)}</code> not applied${d.problem ? `: ${esc(d.problem)}` : ''} (${d.statements} statement(s) ignored)`);
  }
  if (doc.baseline && !doc.baseline.applied) refused.push(`baseline <code>${esc(doc.baseline.file)}</code> not applied${doc.baseline.problem ? `: ${esc(doc.baseline.problem)}` : ''} — every finding is new`);
  yield `<h2>Refused</h2><ul id="refused">${refused.length ? refused.map((r) => `<li class="bad">${r}</li>`).join('') : '<li class="muted">nothing: every exemption, VEX document and baseline given was applied</li>'}</ul>`;
  if (doc.warnings.length) yield `<ul id="warnings">${doc.warnings.map((w) => `<li>⚠ ${esc(w)}</li>`).join('')}</ul>`;

  yield `<h2>Exemptions (${doc.exemptions.length})</h2>`;
  if (doc.exemptions.length) {
    yield '<table id="exemptions"><thead><tr><th>id</th><th>state</th><th>covers</th><th class="num">findings</th><th>requested by</th><th>approved by</th><th>expires</th><th>reason</th></tr></thead><tbody>';
    for (const e of doc.exemptions) {
      yield `<tr data-state="${esc(e.state)}"><td><code>${esc(e.id)}</code></td><td class="${e.state === 'valid' ? 'ok' : 'bad'}">${esc(e.state)}</td><td><code>${esc(e.rule ?? e.fingerprint ?? '')}</code></td><td class="num">${e.matched.length}</td><td>${esc(e.requestedBy)}</td><td>${esc(e.approvedBy)}</td><td>${esc(e.expires)}</td><td>${esc(e.reason)}</td></tr>`;
    }
    yield '</tbody></table>';
  } else {
    yield '<p class="muted">none given</p>';
  }
  const vexDocs = doc.vex.documents ?? [];
  yield `<h2>Inputs</h2><ul id="inputs">${doc.reports.map((r) => `<li><code>${esc(r.file)}</code>: ${esc(r.format)} (${esc(r.tool)}), ${r.findings} finding(s)</li>`).join('')}`;
  for (const d of vexDocs) yield `<li>VEX <code>${esc(d.file)}</code>: ${d.applied ? `applied${d.signedBy ? `, signed by ${esc(d.signedBy)}` : ''}` : 'not applied'}, ${d.statements} statement(s)</li>`;
  if (doc.vex.files.length) yield `<li>VEX: ${doc.vex.suppressed} finding(s) suppressed as not affected</li>`;
  if (doc.baseline) yield `<li>baseline <code>${esc(doc.baseline.file)}</code>: ${doc.baseline.applied ? `${doc.baseline.existing} existing, ${doc.baseline.new} new` : 'not applied'}</li>`;
  yield '</ul>';

  const toolNames = tools.map(([t]) => t).sort();
  yield `<h2>Findings (<span id="gh-shown">${doc.findings.length}</span> of ${doc.findings.length})</h2><div class="filters">`;
  yield `<label>severity <select id="f-sev"><option value="">all</option>${SEVERITIES.map((s, i) => `<option value="${i}">${s}</option>`).join('')}</select></label>`;
  yield `<label>tool <select id="f-tool"><option value="">all</option>${toolNames.map((t) => `<option>${esc(t)}</option>`).join('')}</select></label>`;
  yield '<label>status <select id="f-status"><option value="">all</option><option value="open">open</option><option value="existing">existing (baseline)</option><option value="exempted">exempted</option><option value="suppressed">suppressed (VEX)</option></select></label>';
  if (doc.baseline) yield '<label>baseline <select id="f-base"><option value="">all</option><option value="new">new</option><option value="existing">existing</option></select></label>';
  yield '<label><input type="checkbox" id="f-fails"> failing the gate only</label><label>search <input type="search" id="f-q" placeholder="rule, title, file, fingerprint"></label></div>';
  yield '<table id="findings"><colgroup><col style="width:84px"><col style="width:24%"><col><col style="width:20%"><col style="width:84px"><col style="width:110px"><col style="width:140px"></colgroup><thead><tr><th class="sort" data-k="0">severity</th><th class="sort" data-k="4">rule / ids</th><th class="sort" data-k="5">title</th><th class="sort" data-k="6">location</th><th class="sort" data-k="1">tools</th><th class="sort" data-k="2">status</th><th>fingerprint</th></tr></thead><tbody id="gh-rows"></tbody></table>';
  yield '<div class="pager"><button id="gh-prev" type="button">‹ previous</button><span id="gh-page"></span><button id="gh-next" type="button">next ›</button></div>';
  yield '<noscript>The findings table needs JavaScript; the counts above do not.</noscript><script type="application/json" id="gh-data">';
  // one compact row per finding: [severity index, tools, status, fails gate, rule, title, location, links, fingerprint, status reason, fix, kind]
  yield `{"sev":${scriptJson(SEVERITIES)},"f":[`;
  for (let i = 0; i < doc.findings.length; i++) {
    const f = doc.findings[i];
    const row = [
      sevIndex.get(f.severity) ?? SEVERITIES.length - 1,
      f.tools.join(','),
      f.status,
      f.failsGate ? 1 : 0,
      f.ruleId,
      f.title,
      locationText(f as Finding),
      findingLinks(f),
      f.fingerprint,
      f.statusReason ?? '',
      f.fixVersion ?? '',
      f.kind,
    ];
    yield `${i ? ',' : ''}${scriptJson(row)}`;
  }
  yield `]}</script><script>${SCRIPT}</script></body></html>\n`;
}

/** `gate --html FILE`: the report of this gate run. */
export function gateHtmlChunks(r: GateResult): Generator<string> {
  return reportHtmlChunks(gateReportDocument(r));
}
