/**
 * Benchmark of the bundled gate (`node assets/gatehouse.js gate`) against a bare parse of the same
 * file: `node -e` that only reads and JSON.parses it (JSON), or a bare saxes pass (XML).
 *
 * Inputs are generated into a temporary folder (never committed) from the real fixtures:
 * - trivy JSON ~100 MB: the vulnerabilities of test/fixtures/trivy/defectdojo/trivy_scheme_2_many_vulns.json
 *   replicated with varied CVE ids and package names;
 * - SARIF ~100 MB: the CodeQL results of test/fixtures/sarif/defectdojo/sarif_codeQL-output.sarif replicated
 *   with varied files, lines and fingerprints;
 * - OpenSCAP ARF: the real 8 MB ARF of test/fixtures/openscap/arf-standard.xml, and the same with its failing
 *   rule-result replicated (varied ids and severities) to ~16 MB.
 *
 * Prints wall time, CPU time (user + system) and peak RSS (the child's max RSS from /usr/bin/time)
 * for each, and the ratios; runs are interleaved and the best of each is shown.
 * Targets: gate ≤ 1.5× the bare parse wall time for the 100 MB JSON inputs, peak RSS ≤ 3× the file
 * size for JSON; XML streamed.
 *
 * Then the time the gate takes to refuse 1.4 MB of deeply nested XML (`<a>` nested 200,000 deep under
 * a ZAP, an XCCDF and an ARF root): it must end, with exit 2, in under 2 s.
 *
 * Usage: npx projen bench:findings [--runs N] [--mb N] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const CLI = join(ROOT, 'assets', 'gatehouse.js');
const FIX = join(ROOT, 'test', 'fixtures');
const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const RUNS = opt('runs', 3);
const TARGET_MB = opt('mb', 100);
const MB = 1024 * 1024;

/** Writes a file in pieces (the generator never holds 100 MB). */
class Writer {
  private readonly fd: number;
  bytes = 0;
  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }
  write(s: string): void {
    this.bytes += writeSync(this.fd, s);
  }
  close(): string {
    closeSync(this.fd);
    return this.file;
  }
}

/** A trivy report of about `targetBytes` (100 MB: about 40,000 findings) in `dir`; bench/report.ts reuses it. */
export function generateTrivy(dir: string, targetBytes: number): string {
  const src = JSON.parse(readFileSync(join(FIX, 'trivy', 'defectdojo', 'trivy_scheme_2_many_vulns.json'), 'utf8'));
  const templates: Array<Record<string, unknown>> = src.Results.flatMap((r: { Vulnerabilities?: unknown[] }) => r.Vulnerabilities ?? []);
  const { Results: _results, ...head } = src;
  const w = new Writer(join(dir, 'trivy-100mb.json'));
  w.write(`${JSON.stringify(head).slice(0, -1)},"Results":[`);
  let i = 0;
  let target = 0;
  while (w.bytes < targetBytes) {
    w.write(`${target ? ',' : ''}{"Target":"image-layer-${target}","Class":"os-pkgs","Type":"alpine","Vulnerabilities":[`);
    for (let k = 0; k < 5000 && w.bytes < targetBytes; k++, i++) {
      const v = { ...templates[i % templates.length] };
      v.VulnerabilityID = `CVE-${2000 + (i % 25)}-${100000 + i}`;
      v.PkgName = `${String(v.PkgName)}-${i % 997}`;
      w.write(`${k ? ',' : ''}${JSON.stringify(v)}`);
    }
    w.write(']}');
    target++;
  }
  w.write(']}\n');
  return w.close();
}

function generateSarif(dir: string, targetBytes: number): string {
  const src = JSON.parse(readFileSync(join(FIX, 'sarif', 'defectdojo', 'sarif_codeQL-output.sarif'), 'utf8'));
  const run = src.runs[0];
  const templates: Array<Record<string, any>> = run.results;
  const { results: _results, ...runHead } = run;
  const w = new Writer(join(dir, 'sarif-100mb.sarif'));
  w.write(`{"$schema":${JSON.stringify(src.$schema ?? 'https://json.schemastore.org/sarif-2.1.0.json')},"version":"2.1.0","runs":[${JSON.stringify(runHead).slice(0, -1)},"results":[`);
  for (let i = 0; w.bytes < targetBytes; i++) {
    const r = templates[i % templates.length];
    const loc = r.locations?.[0]?.physicalLocation;
    const saved = { uri: loc?.artifactLocation?.uri, line: loc?.region?.startLine, fp: r.partialFingerprints };
    if (loc?.artifactLocation) loc.artifactLocation.uri = `pkg${i % 331}/${saved.uri}`;
    if (loc?.region) loc.region.startLine = 1 + (i % 4000);
    r.partialFingerprints = { ...saved.fp, primaryLocationLineHash: `${i.toString(16)}:1` };
    w.write(`${i ? ',' : ''}${JSON.stringify(r)}`);
    if (loc?.artifactLocation) loc.artifactLocation.uri = saved.uri;
    if (loc?.region) loc.region.startLine = saved.line;
    r.partialFingerprints = saved.fp;
  }
  w.write(']}]}\n');
  return w.close();
}

function generateArf(dir: string, extraBytes: number): string {
  const text = readFileSync(join(FIX, 'openscap', 'arf-standard.xml'), 'utf8');
  const fail = /<rule-result idref="([^"]+)"[^>]*>\s*<result>fail<\/result>[\s\S]*?<\/rule-result>/.exec(text);
  if (!fail) throw new Error('no failing rule-result in the ARF fixture');
  const w = new Writer(join(dir, 'arf-replicated.xml'));
  const at = fail.index + fail[0].length;
  w.write(text.slice(0, at));
  const sev = ['low', 'medium', 'high', 'unknown'];
  for (let i = 0; w.bytes < text.length + extraBytes; i++) {
    w.write(`\n          ${fail[0].replace(fail[1], `${fail[1]}_${i}`).replace(/severity="[a-z]+"/, `severity="${sev[i % 4]}"`)}`);
  }
  w.write(text.slice(at));
  return w.close();
}

interface Sample {
  wallMs: number;
  /** User + system CPU time of the child: less disturbed than wall time on a busy machine. */
  cpuMs: number;
  rssMb: number;
}

/** Runs `node <args>` under /usr/bin/time; returns wall and CPU time and the child's peak RSS. */
function measure(nodeArgs: string[], dir: string, allowed: number[] = [0, 1]): Sample & { status: number | null } {
  const out = join(dir, 'time.txt');
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', out, process.execPath, ...nodeArgs], { encoding: 'utf8', maxBuffer: 64 * MB });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status === null || !allowed.includes(r.status)) throw new Error(`node ${nodeArgs.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  const [user, sys, kb] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs, cpuMs: (user + sys) * 1000, rssMb: kb / 1024, status: r.status };
}

/** The least disturbed of several samples (minimum of each measure). */
function bestOf(samples: Sample[]): Sample {
  return {
    wallMs: Math.min(...samples.map((s) => s.wallMs)),
    cpuMs: Math.min(...samples.map((s) => s.cpuMs)),
    rssMb: Math.min(...samples.map((s) => s.rssMb)),
  };
}

const BARE_JSON = "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))";
const BARE_XML = `
const { SaxesParser } = require(${JSON.stringify(join(ROOT, 'node_modules', 'saxes'))});
const p = new SaxesParser({ xmlns: true });
const s = require('fs').createReadStream(process.argv[1], { encoding: 'utf8', highWaterMark: 256 * 1024 });
s.on('data', (c) => p.write(c));
s.on('end', () => p.close());`;

/** 1.4 MB of `<a>` nested 200,000 deep under each XML root the gate reads: time to exit 2. */
function deepXml(dir: string): void {
  const depth = 200_000;
  const roots: Array<[string, string, string]> = [
    ['ZAP', '<OWASPZAPReport version="2.14.0">', '</OWASPZAPReport>'],
    ['XCCDF', '<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="b">', '</Benchmark>'],
    ['ARF', '<asset-report-collection xmlns="http://scap.nist.gov/schema/asset-reporting-format/1.1">', '</asset-report-collection>'],
  ];
  console.log('\n| deep XML root | MiB | exit | gate s (wall / cpu) |\n|---|---|---|---|');
  for (const [name, open, close] of roots) {
    const w = new Writer(join(dir, `deep-${name}.xml`));
    w.write(`${open}${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}${close}`);
    const file = w.close();
    const samples = Array.from({ length: RUNS }, () => measure([CLI, 'gate', file], dir, [2]));
    const best = bestOf(samples);
    console.log(`| ${name} | ${(statSync(file).size / MB).toFixed(1)} | ${samples[0].status} | ${(best.wallMs / 1000).toFixed(2)} / ${(best.cpuMs / 1000).toFixed(2)} |`);
  }
  console.log('Target: exit 2 (or a verdict) in under 2 s.');
}

function main(): void {
  if (!existsSync(CLI)) {
    const b = spawnSync('npx', ['esbuild', 'src/findings/cli.ts', '--bundle', '--platform=node', '--target=node20', `--outfile=${CLI}`, '--log-level=warning', '--legal-comments=none'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('cannot bundle the CLI');
  }
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  try {
    const t0 = Date.now();
    const inputs = [
      { name: 'trivy JSON', file: generateTrivy(dir, TARGET_MB * MB), bare: ['-e', BARE_JSON], json: true },
      { name: 'SARIF (CodeQL)', file: generateSarif(dir, TARGET_MB * MB), bare: ['-e', BARE_JSON], json: true },
      { name: 'OpenSCAP ARF (real)', file: join(FIX, 'openscap', 'arf-standard.xml'), bare: ['-e', BARE_XML], json: false },
      { name: 'OpenSCAP ARF (rule-results ×)', file: generateArf(dir, 8 * MB), bare: ['-e', BARE_XML], json: false },
    ];
    console.log(`generated inputs in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${RUNS} interleaved run(s) each, best shown; node ${process.version}\n`);
    const rows: string[][] = [];
    for (const input of inputs) {
      const size = statSync(input.file).size / MB;
      const outputs = join(dir, 'out');
      const samples: Record<'bare' | 'gate' | 'full', Sample[]> = { bare: [], gate: [], full: [] };
      // interleaved, so that a burst of load on the machine hits all three alike
      for (let run = 0; run < RUNS; run++) {
        samples.bare.push(measure([...input.bare, input.file], dir));
        samples.gate.push(measure([CLI, 'gate', input.file], dir));
        samples.full.push(measure([CLI, 'gate', '--sarif', `${outputs}/g.sarif`, '--json', `${outputs}/g.json`, '--junit', `${outputs}/g.xml`, '--markdown', `${outputs}/g.md`, input.file], dir));
      }
      const bare = bestOf(samples.bare);
      const gate = bestOf(samples.gate);
      const full = bestOf(samples.full);
      const findings = JSON.parse(readFileSync(`${outputs}/g.json`, 'utf8')).summary.total;
      rows.push([
        input.name,
        size.toFixed(1),
        String(findings),
        `${(bare.wallMs / 1000).toFixed(2)} / ${(bare.cpuMs / 1000).toFixed(2)}`,
        `${(gate.wallMs / 1000).toFixed(2)} / ${(gate.cpuMs / 1000).toFixed(2)}`,
        `${(gate.wallMs / bare.wallMs).toFixed(2)} / ${(gate.cpuMs / bare.cpuMs).toFixed(2)}`,
        bare.rssMb.toFixed(0),
        gate.rssMb.toFixed(0),
        (gate.rssMb / size).toFixed(2),
        `${(full.wallMs / 1000).toFixed(2)} / ${(full.cpuMs / 1000).toFixed(2)}`,
        full.rssMb.toFixed(0),
      ]);
      rmSync(outputs, { recursive: true, force: true });
    }
    const header = ['input', 'MiB', 'findings', 'bare s (wall / cpu)', 'gate s (wall / cpu)', 'gate ÷ bare (wall / cpu)', 'bare RSS MiB', 'gate RSS MiB', 'gate RSS ÷ size', 'gate+outputs s (wall / cpu)', 'gate+outputs RSS MiB'];
    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map(() => '---').join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    console.log('\nbare = node -e reading + JSON.parse (JSON) or a bare saxes pass (XML); gate = node assets/gatehouse.js gate FILE;');
    console.log('gate+outputs adds --sarif --json --junit --markdown. Targets: gate ÷ bare ≤ 1.5 (wall) and RSS ÷ size ≤ 3 for JSON.');
    deepXml(dir);
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`inputs kept in ${dir}`);
  }
}

// run when called (npx projen bench:findings), not when bench/report.ts imports the generator
if (require.main === module) main();
