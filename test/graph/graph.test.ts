/**
 * The pipeline picture, from the model alone: DOT and Mermaid text, the SVG Graphviz draws, and
 * `gatehouse graph` as shipped.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { Approver, CommandStep, FailureStrategy, GatePolicy, GateSeverity, Pipeline, ScanCategory, ScanStep, Source, Stage } from '../../src/core';
import { renderSvg } from '../../src/graph';
import { compiledLib } from '../e2e/support/tools';

const ROOT = path.resolve(__dirname, '../..');

function scan(name: string, gate?: GatePolicy, runAfter?: string[]): ScanStep {
  return new ScanStep({ name, scanner: 'custom', category: ScanCategory.SAST, image: 'alpine:3.20', commands: ['true'], findingsReports: [`${name}.json`], reports: [{ name: `${name}-report`, paths: [`${name}.json`] }], gate, gated: gate !== undefined, runAfter });
}

/** Two parallel stages after build, a runAfter chain, a manual-intervention gate and a stage gate. */
function dagPipeline(): Pipeline {
  const intervene = new GatePolicy({ failOn: GateSeverity.CRITICAL, failureStrategy: FailureStrategy.MANUAL_INTERVENTION, interventionApprovers: [Approver.group('security')] });
  return new Pipeline({
    name: 'dag',
    source: Source.gitHub({ owner: 'acme', repository: 'app', branch: 'main' }),
    stages: [
      Stage.buildStage('build', { steps: [new CommandStep({ name: 'compile', commands: ['true'] }), new CommandStep({ name: 'package', commands: ['true'], runAfter: ['compile'] })] }),
      Stage.securityStage('scan', { requires: ['build'], gate: new GatePolicy({ failOn: GateSeverity.MEDIUM, budgets: { high: 2 } }), steps: [scan('sast', intervene), scan('lint', undefined)] }),
      Stage.testStage('unit', { requires: ['build'], steps: [new CommandStep({ name: 'unit', commands: ['true'] })] }),
      Stage.approvalStage('release', { requires: ['scan', 'unit'], approvers: [Approver.user('ana')] }),
    ],
  });
}

describe('pipeline.toDot()', () => {
  const dot = dagPipeline().toDot();

  test('one cluster per stage, coloured by kind, with its steps inside', () => {
    expect(dot.match(/subgraph cluster_\d+ \{/g)).toHaveLength(4);
    expect(dot).toMatch(/label="build \(build\)"; style="rounded,filled"; fillcolor="#e3f2fd"/);
    expect(dot).toMatch(/label="scan \(security\)"; style="rounded,filled"; fillcolor="#fff3e0"/);
  });

  test('scans carry their gate, approvals, stage gates and interventions have their own shapes', () => {
    expect(dot).toMatch(/\[shape=box, style="filled", fillcolor="#ffffff", peripheries=2, label="sast\\ncustom · sast scan\\ngate: fail on critical · MANUAL_INTERVENTION"\]/);
    expect(dot).toMatch(/label="lint\\ncustom · sast scan\\nnot gated: report only"/);
    expect(dot).toMatch(/shape=octagon[^\n]*label="stage gate\\ngate: fail on medium · budget high≤2 · FAIL\\nover sast, lint"/);
    expect(dot).toMatch(/shape=diamond[^\n]*label="intervention\\nif the gate fails: security decide"/);
    expect(dot).toMatch(/shape=hexagon[^\n]*label="approve\\napproval by ana"/);
  });

  test('runAfter edges inside a stage, the stage DAG between clusters', () => {
    const ids = (label: string) => new RegExp(`(n\\d+_\\w+) \\[[^\\n]*label="${label}`).exec(dot)![1];
    expect(dot).toContain(`${ids('compile')} -> ${ids('package')};`);
    // the intervention follows its scan; the stage gate waits for the intervention
    expect(dot).toContain(`${ids('sast')} -> ${ids('intervention')} [style=dashed];`);
    expect(dot).toContain(`${ids('intervention')} -> ${ids('stage gate')};`);
    const stageEdges = [...dot.matchAll(/\[ltail=(cluster_\d+), lhead=(cluster_\d+)/g)].map((m) => `${m[1]}>${m[2]}`).sort();
    expect(stageEdges).toEqual(['cluster_0>cluster_1', 'cluster_0>cluster_2', 'cluster_1>cluster_3', 'cluster_2>cluster_3']);
    // the edge into a stage leaves from the node the previous stage ends with
    expect(dot).toMatch(new RegExp(`${ids('stage gate')} -> ${ids('approve')} \\[ltail=cluster_1, lhead=cluster_3`));
  });

  test('names cannot break out of a label', () => {
    const p = new Pipeline({ name: 'x', source: Source.gitHub({ owner: 'a', repository: 'b', branch: 'main' }), stages: [Stage.buildStage('b', { steps: [new CommandStep({ name: 's', commands: ['true'] })] })] });
    // the model validates names (DNS labels), so the only free text is an approver's: quotes are escaped
    const q = new Pipeline({ name: 'y', source: p.source, stages: [Stage.approvalStage('a', { approvers: [Approver.user('ann"];evil')] })] });
    expect(q.toDot()).toContain('approval by ann\\"];evil"');
    expect(q.toMermaid()).toContain('approval by ann#quot;];evil"');
  });

  test('an invalid pipeline is refused with its problems, not drawn', () => {
    const bad = new Pipeline({ name: 'bad', source: Source.gitHub({ owner: 'a', repository: 'b', branch: 'main' }), stages: [Stage.buildStage('b', { requires: ['nope'], steps: [new CommandStep({ name: 's', commands: ['true'] })] })] });
    expect(() => bad.toDot()).toThrow(/nope/);
  });
});

describe('pipeline.toMermaid()', () => {
  test('a flowchart with one subgraph per stage, the shapes and both kinds of edges', () => {
    const m = dagPipeline().toMermaid();
    expect(m.startsWith('flowchart LR\n')).toBe(true);
    expect(m.match(/^ {2}subgraph /gm)).toHaveLength(4);
    expect(m).toMatch(/n\d+_\d+\[\["sast<br\/>custom · sast scan<br\/>gate: fail on critical · MANUAL_INTERVENTION"\]\]/);
    expect(m).toMatch(/\{\{"approve<br\/>approval by ana"\}\}/);
    expect(m).toMatch(/_i\{"intervention<br\/>if the gate fails: security decide"\}/);
    expect(m).toContain('  cluster_0 --> cluster_1\n  cluster_0 --> cluster_2\n  cluster_1 --> cluster_3\n  cluster_2 --> cluster_3\n');
    expect(m).toContain('style cluster_1 fill:#fff3e0,stroke:#ef6c00');
  });
});

describe('renderSvg', () => {
  test('the seed pipeline: an SVG naming every stage and step', async () => {
    const p = djangoDevSecOps();
    const svg = await renderSvg(p);
    expect(svg).toMatch(/<svg [^>]*width="\d+pt"/);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&#45;/g, '-'));
    for (const stage of p.stages) {
      expect(texts).toContain(`${stage.name} (${stage.kind.toLowerCase()})`);
      for (const step of stage.steps) expect(texts).toContain(step.name);
    }
  });
});

describe('gatehouse graph (bundled)', () => {
  const CLI = path.join(ROOT, 'assets/gatehouse.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-graph-'));
  fs.writeFileSync(path.join(dir, 'pipeline.ts'), `import { djangoDevSecOps } from '${path.join(ROOT, 'examples/django-devsecops/pipeline')}';\nexport const seed = djangoDevSecOps();\n`);
  // the example imports `gatehouse`: this tsconfig's paths map it to a TypeScript module of the
  // compiled library, not to src/ (each run would transpile the whole source tree)
  fs.writeFileSync(path.join(dir, 'gatehouse.ts'), `export * from '${compiledLib()}';\n`);
  const TSCONFIG = path.join(dir, 'tsconfig.json');
  fs.writeFileSync(TSCONFIG, JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { gatehouse: ['./gatehouse.ts'] } } }));
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, 'graph', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes SVG, Mermaid and DOT of a pipeline module', () => {
    const svg = run(['pipeline.ts', '--tsconfig', TSCONFIG, '-o', 'out/p.svg']);
    expect({ status: svg.status, stderr: svg.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(dir, 'out/p.svg'), 'utf8')).toMatch(/<svg[\s\S]*>gitleaks<\/text>[\s\S]*<\/svg>/);
    const mermaid = run(['pipeline.ts', '--tsconfig', TSCONFIG, '--format', 'mermaid', '--pipeline', 'django-devsecops']);
    expect(mermaid.stdout).toBe(djangoDevSecOps().toMermaid());
    const dot = run(['pipeline.ts', '--tsconfig', TSCONFIG, '--format', 'dot']);
    expect(dot.stdout).toBe(djangoDevSecOps().toDot());
  }, 60_000);

  test.each([
    [['pipeline.ts', '--format', 'png'], /argument 'png' is invalid. Allowed choices are svg, mermaid, dot/],
    [['missing.ts'], /pipeline module missing.ts does not exist/],
    [['pipeline.ts', '--pipeline', 'other', '--tsconfig', TSCONFIG], /exports no pipeline named "other": it exports django-devsecops/],
  ])('exit 2 on bad input: %j', (args, message) => {
    const res = run(args);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(message);
  }, 60_000);
});
