/**
 * Tekton: nothing another task can write reaches a gate. Every task shares the writable `source`
 * workspace and the app team writes the build and test commands, so each case below plays a task
 * of the app team (a build task of the same stage running beside the scans, a task of an earlier
 * stage, a step that names a scan's report as its own) and asserts, on the rendered YAML, that it
 * has no writable mount over anything a gate reads: the scan's findings, the copy a stage gate
 * reads, the gate's working folder or its trust files. The last cases run the rendered gate step:
 * a forged report in the source workspace does not change the verdict.
 */
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import {
  CommandStep, GatePolicy, Pipeline, ReportFormat, ScanCategory, ScanStep, Source, Stage, TrustSource,
} from '../../src/core';
import { Bandit, Semgrep, Syft } from '../../src/security';
import { validateManifests } from '../../src/tekton/validation/validate';
import { removeGateRuns, BANDIT_CLEAN, BANDIT_FINDINGS, runGateStep, stepOf } from '../tekton/gate-helpers';
import { render } from '../tekton/helpers';

afterAll(removeGateRuns);

const KEYS = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAtPZKNWM6TWXs9YmVf+YMHZ/QOjIYLMGOLuC21Sn9fT0=\n-----END PUBLIC KEY-----\n';

/**
 * The app team's pipeline: a build stage that keeps a report, then a security stage where a build
 * step runs beside the scans (no order between them) and even declares a scan's report path as
 * its own report, under a stage gate with trusted keys and trusted VEX.
 */
function attackedPipeline(): Pipeline {
  const gate = new GatePolicy({
    exemptionsFile: '.gatehouse/exemptions.yaml',
    exemptionApprovers: ['sec.priya'],
    trustedKeys: TrustSource.inline(KEYS),
    trustedVex: [TrustSource.kubernetesSecret('platform-vex', 'app.vex.json')],
  });
  const tamper = new CommandStep({
    name: 'tamper',
    commands: ['echo \'{"results": []}\' > .gatehouse/reports/bandit/bandit.json', 'echo x > .gatehouse/trusted-keys.yaml'],
    reports: [{ name: 'forged', paths: ['.gatehouse/reports/bandit/bandit.json'], format: ReportFormat.JSON }],
  });
  return new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [
      Stage.buildStage('build', {
        steps: [new CommandStep({ name: 'compile', commands: ['make'], reports: [{ name: 'junit', paths: ['junit.xml'], format: ReportFormat.JUNIT_XML }] })],
      }),
      Stage.securityStage('sec', { steps: [new Bandit({ gate }), new Semgrep({ gate }), new Syft(), tamper], gate }),
    ],
  });
}

interface Mount {
  readonly task: string;
  readonly step: string;
  /** What is mounted: `pod:<task>:<volume>` (a volume of that task's pod) or `ws:<workspace>:<subPath>`. */
  readonly storage: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

/** Every mount of every step of every task, as the TaskRun pods get them (workspaces included). */
function mountsOf(manifests: any[]): Mount[] {
  const pipeline = manifests.find((m) => m.kind === 'Pipeline');
  const out: Mount[] = [];
  for (const t of pipeline.spec.tasks) {
    const spec = t.taskSpec;
    if (!spec) continue;
    const volumes = new Map<string, any>((spec.volumes ?? []).map((v: any) => [v.name, v]));
    for (const s of spec.steps) {
      for (const m of [...(spec.stepTemplate?.volumeMounts ?? []), ...(s.volumeMounts ?? [])]) {
        const v = volumes.get(m.name);
        // ConfigMap, Secret and projected volumes are read-only whatever the mount says
        const inherentlyReadOnly = v && (v.configMap || v.secret || v.projected);
        out.push({ task: t.name, step: s.name, storage: `pod:${t.name}:${m.name}`, mountPath: m.mountPath, readOnly: m.readOnly === true || !!inherentlyReadOnly });
      }
      for (const w of spec.workspaces ?? []) {
        const binding = (t.workspaces ?? []).find((b: any) => b.name === w.name);
        out.push({
          task: t.name,
          step: s.name,
          storage: `ws:${binding.workspace}:${binding.subPath ?? ''}`,
          mountPath: w.mountPath ?? `/workspace/${w.name}`,
          readOnly: w.readOnly === true,
        });
      }
    }
  }
  return out;
}

/** Whether two storages share files: the same pod volume, or workspace subPaths where one holds the other. */
function overlaps(a: string, b: string): boolean {
  if (a.startsWith('pod:') || b.startsWith('pod:')) return a === b;
  const [, wa, pa] = a.split(':');
  const [, wb, pb] = b.split(':');
  if (wa !== wb) return false;
  const inside = (x: string, y: string) => y === '' || x === y || x.startsWith(`${y}/`);
  return inside(pa, pb) || inside(pb, pa);
}

/**
 * What each gate step reads besides the bundled gate: its input mounts, its trust files, and the
 * storage holding its working folder (the gate resolves its report paths there).
 */
function gateReads(manifests: any[]): Array<{ gateTask: string; mount: Mount }> {
  const pipeline = manifests.find((m) => m.kind === 'Pipeline');
  const all = mountsOf(manifests);
  const out: Array<{ gateTask: string; mount: Mount }> = [];
  for (const t of pipeline.spec.tasks) {
    const gate = (t.taskSpec?.steps ?? []).find((s: any) => s.name === 'gate');
    if (!gate) continue;
    const mine = all.filter((m) => m.task === t.name && m.step === 'gate');
    const workingDir = String(gate.workingDir ?? t.taskSpec.stepTemplate?.workingDir ?? '')
      .replace(/\$\(workspaces\.([a-z0-9-]+)\.path\)/g, (_: string, w: string) => mine.find((m) => m.storage.startsWith(`ws:${w}:`))?.mountPath ?? '?');
    const holding = mine
      .filter((m) => workingDir === m.mountPath || workingDir.startsWith(`${m.mountPath}/`))
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    for (const m of mine) {
      if (m === holding || m.mountPath.startsWith('/gatehouse/inputs/') || m.mountPath === '/gatehouse/trust') out.push({ gateTask: t.name, mount: m });
    }
  }
  return out;
}

/** The task whose pod holds a gate input: the scan task that wrote it. */
function writerTaskOf(read: Mount): string {
  if (read.storage.startsWith('pod:')) return read.task;
  // ws:reports:$(context.pipelineRun.name)/<scan task>/gate-input
  return read.storage.split('/')[1];
}

describe.each([
  ['the attacked pipeline', () => render(attackedPipeline()).manifests],
  ['the seed example', () => render(djangoDevSecOps()).manifests],
])('%s on Tekton', (_, make) => {
  const manifests = make();
  const mounts = mountsOf(manifests);
  const reads = gateReads(manifests);

  test('renders objects that pass every validation rule', () => {
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('no step of another task has a writable mount over anything a gate reads; in the scan task only the scanner writes its findings', () => {
    expect(reads.length).toBeGreaterThan(0);
    const violations: string[] = [];
    for (const { gateTask, mount: read } of reads) {
      const scanTask = writerTaskOf(read);
      for (const w of mounts.filter((m) => !m.readOnly && overlaps(m.storage, read.storage))) {
        const allowed =
          (read.storage === `pod:${gateTask}:gatehouse-work` && w.task === gateTask && w.step === 'gate') ||
          // the scan's findings: its scanner writes them (run), its finish step copies them for the stage gate
          (read.mountPath.startsWith('/gatehouse/inputs/') && w.task === scanTask && (read.storage.startsWith('ws:') || w.step === 'run'));
        if (!allowed) violations.push(`${w.task}/${w.step} can write ${read.storage} (${read.mountPath}), which the gate of ${gateTask} reads`);
      }
    }
    expect(violations).toEqual([]);
  });

  test('the gate step mounts its inputs and trust files read-only, and reads no report through the source workspace', () => {
    const gates = mounts.filter((m) => m.step === 'gate');
    for (const m of gates.filter((x) => x.mountPath.startsWith('/gatehouse/inputs/') || x.mountPath === '/gatehouse/trust' || x.mountPath === '/gatehouse/bundle')) {
      expect({ ...m, readOnly: m.readOnly }).toEqual({ ...m, readOnly: true });
    }
    const pipeline = manifests.find((m) => m.kind === 'Pipeline');
    for (const t of pipeline.spec.tasks.filter((x: any) => (x.taskSpec?.steps ?? []).some((s: any) => s.name === 'gate'))) {
      const gate = t.taskSpec.steps.find((s: any) => s.name === 'gate');
      expect(gate.workingDir).toBe('/gatehouse/work');
      // every findings folder the gate's report paths name is a link to one of its read-only input mounts
      const links = [...gate.script.matchAll(/^ln -s (\S+) (\S+) \|\| exit 2$/gm)].map((l) => l[1]);
      expect(links.length).toBeGreaterThan(0);
      for (const target of links) {
        expect(gates.find((m) => m.task === t.name && m.mountPath === target)).toEqual(expect.objectContaining({ readOnly: true }));
      }
    }
  });

  test('each task binds only its own folder of the reports workspace: subPaths are distinct and none is the whole volume', () => {
    const pipeline = manifests.find((m) => m.kind === 'Pipeline');
    const writable: string[] = [];
    for (const t of pipeline.spec.tasks) {
      for (const b of (t.workspaces ?? []).filter((x: any) => x.workspace === 'reports')) {
        expect(b.subPath).toMatch(/^\$\(context\.pipelineRun\.name\)\/[a-z0-9-]+(\/gate-input)?$/);
        const decl = t.taskSpec.workspaces.find((w: any) => w.name === b.name);
        if (!decl.readOnly) writable.push(b.subPath);
      }
    }
    expect(writable.length).toBeGreaterThan(1);
    expect(new Set(writable).size).toBe(writable.length);
    for (const a of writable) for (const b of writable) if (a !== b) expect(overlaps(`ws:r:${a}`, `ws:r:${b}`)).toBe(false);
  });

  test('trust files come from a ConfigMap or Secret mounted only by gate steps, never from the source', () => {
    const trust = mounts.filter((m) => m.storage.endsWith(':gatehouse-trust'));
    expect(trust.length).toBeGreaterThan(0);
    expect(new Set(trust.map((m) => m.step))).toEqual(new Set(['gate']));
    for (const line of manifests.find((m) => m.kind === 'Pipeline').spec.tasks
      .flatMap((t: any) => (t.taskSpec?.steps ?? []).filter((s: any) => s.name === 'gate'))
      .map((s: any) => s.script.split('\n').find((l: string) => l.startsWith('node "$gate" ')))) {
      expect(line).toContain('--trusted-keys /gatehouse/trust/trusted-keys');
      expect(line).not.toMatch(/--trusted-keys \.?[^/]/);
    }
    const cm = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith(`${manifests.find((x) => x.kind === 'Pipeline').metadata.name}-gatehouse-trust-`));
    expect(cm.immutable).toBe(true);
  });
});

describe('the attacks, one by one', () => {
  const { manifests } = render(attackedPipeline());
  const mounts = mountsOf(manifests);

  test('a build step beside the scans has no mount of a scan\'s findings volume, nor of a stage gate\'s inputs', () => {
    const tamper = mounts.filter((m) => m.task === 'sec-tamper');
    expect(tamper.filter((m) => m.storage.includes('gatehouse-findings') || m.mountPath.startsWith('/gatehouse/'))).toEqual([]);
    // its reports folder is its own, however its reports are named
    expect(new Set(tamper.filter((m) => m.storage.startsWith('ws:reports:')).map((m) => m.storage))).toEqual(new Set(['ws:reports:$(context.pipelineRun.name)/sec-tamper']));
  });

  test('the stage gate reads its inputs from the scan tasks\' folders only, not from the build step that names the same report', () => {
    const inputs = mounts.filter((m) => m.task === 'sec-stage-gate' && m.mountPath.startsWith('/gatehouse/inputs/'));
    expect(inputs.map((m) => m.storage).sort()).toEqual([
      'ws:reports:$(context.pipelineRun.name)/sec-bandit/gate-input',
      'ws:reports:$(context.pipelineRun.name)/sec-semgrep/gate-input',
      'ws:reports:$(context.pipelineRun.name)/sec-syft/gate-input',
    ]);
    expect(inputs.every((m) => m.readOnly)).toBe(true);
  });

  test('the source workspace is read-only in the stage gate', () => {
    expect(mounts.filter((m) => m.task === 'sec-stage-gate' && m.storage.startsWith('ws:source:')).map((m) => m.readOnly)).toEqual([true]);
  });

  test('fails a gated scan whose findings report lies where other tasks can write it (outside its findings folder)', () => {
    const scan = new ScanStep({
      name: 'trivy',
      scanner: 'trivy',
      category: ScanCategory.IMAGE,
      commands: ['trivy image -f json -o trivy.json app'],
      findingsReports: ['trivy.json'],
      reports: [{ name: 'trivy', paths: ['trivy.json'] }],
    });
    const pipeline = new Pipeline({ name: 'app', source: Source.gitHub({ owner: 'acme', repository: 'app' }), stages: [Stage.securityStage('sec', { steps: [scan] })] });
    expect(() => render(pipeline)).toThrow(
      /stage "sec" > step "trivy": findings report\(s\) "trivy\.json" lie outside "\.gatehouse\/reports\/trivy\/", the folder only this scan can write on Tekton/,
    );
  });

  test('fails trust anchors Tekton cannot read and a stored baseline, in one error naming each gate', () => {
    const gate = new GatePolicy({ trustedKeys: TrustSource.ssmParameter('/platform/keys'), storedBaseline: true });
    const pipeline = new Pipeline({
      name: 'app',
      source: Source.gitHub({ owner: 'acme', repository: 'app' }),
      stages: [Stage.securityStage('sec', { steps: [new Bandit({ gate })], gate: new GatePolicy({ trustedVex: [TrustSource.secretsManagerSecret('vex')] }) })],
    });
    let message = '';
    try {
      render(pipeline);
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toContain('(3 issues)');
    expect(message).toContain('stage "sec" > step "bandit" > gate: trustedKeys is ssm parameter /platform/keys, an AWS store Tekton cannot read: use TrustSource.configMap(name, key)');
    expect(message).toContain('stage "sec" > step "bandit" > gate: storedBaseline is not supported on Tekton yet: use a signed baseline');
    expect(message).toContain('stage "sec" > stage gate: trustedVex[0] is secrets manager secret vex, an AWS store Tekton cannot read');
  });
});

describe('the rendered gate step, run: a forged report in the source workspace does not change the verdict', () => {
  const pipeline = new Pipeline({
    name: 'app',
    source: Source.gitHub({ owner: 'acme', repository: 'app' }),
    stages: [Stage.securityStage('sec', { steps: [new Bandit()] })],
  });
  const { manifests } = render(pipeline);
  const gate = stepOf(manifests, 'sec-bandit', 'gate');

  test('the scanner found a HIGH; a build task wrote a clean report at the same path of the source: the gate FAILS (exit 1)', () => {
    // the runner shows the scan's findings folder (files under .gatehouse/reports/bandit/) at the gate's input mount;
    // the forged copy lives where a build task can write: the source workspace, which the gate reads only for repository files
    const r = runGateStep(manifests, gate, {
      files: { '.gatehouse/reports/bandit/bandit.json': BANDIT_FINDINGS },
      sourceOverlay: { '.gatehouse/reports/bandit/bandit.json': BANDIT_CLEAN },
    });
    expect(r.code).toBe(1);
    expect(r.results.GATE_VERDICT).toBe('FAILED');
  });
});
