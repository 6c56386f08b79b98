import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { synth } from '../../examples/django-devsecops/tekton';
import { validateManifests } from '../../src/tekton/validation/validate';

const root = path.resolve(__dirname, '../..');

/** Runs @ibm/tekton-lint (an ES module, hence a child process) and returns its JSON problems. */
function tektonLint(glob: string): Array<{ rule: string; level: string; message: string }> {
  const out = execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/@ibm/tekton-lint/dist/lint.js'), '--format', 'json', '--color', 'false', '--config', path.join(__dirname, 'tektonlint.yaml'), glob],
    { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } },
  );
  return JSON.parse(out);
}

describe('django-devsecops example', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tekton-example-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const lines = synth(outdir);
  const written = fs.readdirSync(outdir).sort();
  const files = written.filter((f) => f.endsWith('.yaml'));

  test('writes the pipeline objects (apply) and the run (create) as separate YAML files, and summarizes them', () => {
    expect(files).toEqual(['0000-django-devsecops.k8s.yaml', '0001-django-devsecops-run.k8s.yaml']);
    // beside them, the pipeline document and the policy report of the synth
    expect(written).toEqual([...files, 'pipeline.json', 'policy-report.json']);
    expect(lines).toEqual([
      '0000-django-devsecops.k8s.yaml: ConfigMap, ConfigMap, Pipeline, ServiceAccount, Role, RoleBinding (11 tasks)',
      '0001-django-devsecops-run.k8s.yaml: PipelineRun',
    ]);
  });

  test('the written YAML passes every validation rule', () => {
    const docs = files.flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, f), 'utf8')).map((d) => d.toJSON()));
    expect(validateManifests(docs)).toEqual([]);
  });

  test('@ibm/tekton-lint reports no errors on it', () => {
    const problems = tektonLint(path.join(outdir, '*.yaml'));
    expect(problems.filter((p) => p.level === 'error')).toEqual([]);
    // the only warnings: the ApprovalTask's own camelCase param name, and the gate's GATE_<SEVERITY> / GATE_VERDICT results
    const names = new Set(problems.map((p) => `${p.rule}: ${/'([^']+)'/.exec(p.message)?.[1]}`));
    expect([...names].sort()).toEqual(
      ['GATE_CRITICAL', 'GATE_HIGH', 'GATE_INFO', 'GATE_LOW', 'GATE_MEDIUM', 'GATE_UNKNOWN', 'GATE_VERDICT', 'numberOfApprovalsRequired'].map((n) => `prefer-kebab-case: ${n}`),
    );
  });

  test('@ibm/tekton-lint reports errors in this output when there are some (the check above can fail)', () => {
    // GIVEN the example with a runAfter to a missing task and an undefined pipeline param
    const broken = path.join(outdir, 'broken');
    fs.mkdirSync(broken);
    const yaml = fs.readFileSync(path.join(outdir, files[0]), 'utf8')
      .replace(/- build-build$/m, '- biuld-build')
      .replace('value: $(params.revision)', 'value: $(params.branch)');
    fs.writeFileSync(path.join(broken, 'pipeline.yaml'), yaml);
    // THEN tekton-lint reports both
    expect(tektonLint(path.join(broken, '*.yaml')).filter((p) => p.level === 'error').map((p) => p.rule).sort()).toEqual(['no-pipeline-missing-task', 'no-undefined-param']);
  });
});
