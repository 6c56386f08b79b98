import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { render, stepNames, workflowOf } from './helpers';
import { CIRCLECI_REVIEW_URL, synth } from '../../examples/django-devsecops/circleci';
import { djangoDevSecOps } from '../../examples/django-devsecops/pipeline';
import { readGateCli } from '../../src/core/gate-cli';

/** The seed's CircleCI workflow (docs/circleci.md): build → test → oast → integration → prod hold. */
const SEED = [
  { job: 'build', requires: [] },
  { job: 'test', requires: ['build'] },
  { job: 'oast', requires: ['test'] },
  { job: 'integration', requires: ['oast'] },
  { job: 'prod', requires: ['integration'], hold: true },
];

describe('the seed on CircleCI', () => {
  const { engine, config, issues } = render(djangoDevSecOps({ reviewUrl: CIRCLECI_REVIEW_URL }));
  const workflow = workflowOf(config);
  const names = workflow.map((w) => w.name);
  /** The generated jobs standing for a seed job, in workflow order. */
  const generated = (seedJob: string) => names.filter((n) => n === seedJob || n.startsWith(`${seedJob}-`) || (seedJob === 'prod' && n === 'approval'));

  test('the config is valid: CircleCI\'s schema and every rule', () => {
    expect(issues).toEqual([]);
    expect(config.version).toBe(2.1);
    expect(Object.keys(config.workflows)).toEqual(['django-devsecops']);
  });

  test('keeps the seed\'s job order, requires and approval hold', () => {
    // every seed job has its jobs, in the seed's order
    const firstIndex = SEED.map((s) => names.indexOf(generated(s.job)[0]));
    expect(firstIndex.every((i) => i >= 0)).toBe(true);
    expect([...firstIndex].sort((a, b) => a - b)).toEqual(firstIndex);
    // the hold is an approval entry (not a job definition) requiring the integration job, and prod waits for it
    const hold = workflow.find((w) => w.name === 'approval')!;
    expect(hold).toEqual({ name: 'approval', type: 'approval', requires: ['integration'], context: 'release-managers' });
    expect(config.jobs.approval).toBeUndefined();
    expect(workflow.find((w) => w.name === 'prod')!.requires).toEqual(['approval']);
    // build first, test after build, the scans after test, integration after the stage gate of oast
    expect(workflow.find((w) => w.name === 'build')!.requires).toEqual([]);
    expect(workflow.find((w) => w.name === 'test')!.requires).toEqual(['build']);
    for (const scan of ['oast-safety', 'oast-bandit', 'oast-gitleaks', 'oast-syft']) {
      expect(workflow.find((w) => w.name === scan)!.requires).toEqual(['test']);
    }
    expect(workflow.find((w) => w.name === 'oast-stage-gate')!.requires).toEqual(['oast-safety-gate', 'oast-bandit-gate', 'oast-gitleaks-gate', 'oast-syft']);
    expect(workflow.find((w) => w.name === 'integration')!.requires).toEqual(['oast-stage-gate']);
    expect(engine.jobNames).toEqual(names);
  });

  test('each step runs in the model\'s image, as pinned there; each gate in the gate image', () => {
    const model = djangoDevSecOps();
    for (const stage of model.stages) {
      for (const step of stage.steps) {
        const job = config.jobs[stage.steps.length === 1 && !stage.gate ? stage.name : `${stage.name}-${step.name}`];
        if (step.kind === 'approval') continue;
        expect(job.docker).toEqual([{ image: model.imageOf(step as any) }]);
      }
    }
    const images = Object.values<any>(config.jobs).map((j) => j.docker[0].image as string);
    // every image is pinned by digest (the catalog's Syft runs in its pinned Python image)
    expect(images.filter((i) => !/@sha256:[0-9a-f]{64}$/.test(i))).toEqual([]);
    for (const name of Object.keys(config.jobs).filter((n) => n.endsWith('gate'))) expect(config.jobs[name].docker).toEqual([{ image: model.gateImage }]);
  });

  test('the seed\'s `safety check … || true` is now a scan whose report is kept and gated', () => {
    expect(stepNames(config, 'oast-safety')).toEqual(['checkout', 'gatehouse: prepare', 'safety', 'store_artifacts', 'persist_to_workspace', 'gatehouse: finish']);
    expect(config.jobs['oast-safety'].steps[3].store_artifacts).toEqual({ path: '/tmp/gatehouse/keep', destination: 'oast-safety' });
    expect(stepNames(config, 'oast-safety-gate')).toEqual([
      'checkout', 'attach_workspace', 'gatehouse gate', 'store_artifacts', 'store_test_results', 'gatehouse: finish',
    ]);
    // integration may fail (allowFailure): the job goes on, the failure is a failed test
    expect(stepNames(config, 'integration')).toContain('store_test_results');
  });

  test('the YAML says at the hold what CircleCI does not enforce (timeout) and where to review', () => {
    const yaml = engine.configYaml;
    expect(YAML.parse(yaml)).toEqual(config);
    expect(yaml).toMatch(/# Approve the release[^\n]*review: https:\/\/app\.circleci\.com[^\n]*1440 min is not enforced[^\n]*\n\s+- approval:/);
  });

  test('writeTo writes the config and the bundled gate whose sha256 the gate jobs check', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-circleci-seed-'));
    try {
      expect(synth(dir)[0]).toBe('2 files: .circleci/config.yml, .circleci/gatehouse/gatehouse.js');
      const gate = readGateCli(path.join(dir, '.circleci/gatehouse/gatehouse.js'));
      expect(gate.content.equals(readGateCli().content)).toBe(true);
      const text = fs.readFileSync(path.join(dir, '.circleci/config.yml'), 'utf8');
      expect(text).toBe(engine.configYaml);
      // every gate job checks that exact sha256
      const gateJobs = Object.keys(config.jobs).filter((n) => n.endsWith('gate'));
      expect(gateJobs).toHaveLength(4);
      for (const g of gateJobs) expect(JSON.stringify(config.jobs[g])).toContain(gate.sha256);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'policy-report.json'), 'utf8')).passed).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
