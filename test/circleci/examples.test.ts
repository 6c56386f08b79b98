import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { AcmeTarget } from '../../examples/acme-blueprint/src';
import { ordersPipeline } from '../../examples/acme-service/pipeline';
import * as circleci from '../../src/circleci';
import { validateConfigJson } from '../../src/circleci/validation/validate';

const EXAMPLES = path.join(__dirname, '../../examples');
/** Every example that builds a pipeline and has a CircleCI rendering (examples/<name>/circleci.ts). */
const withCircleCi = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'circleci.ts'))).sort();

test('every example that builds a pipeline renders for CircleCI (examples/<name>/circleci.ts)', () => {
  const building = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'pipeline.ts'))).sort();
  expect(building.length).toBeGreaterThanOrEqual(5);
  expect(withCircleCi).toEqual(building);
});

describe.each(withCircleCi)('examples/%s on CircleCI', (example) => {
  test('synth writes a config that passes CircleCI\'s schema and every rule, and the bundled gate when a gate runs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gatehouse-circleci-${example}-`));
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(EXAMPLES, example, 'circleci.ts'));
      const lines: string[] = mod.synth(dir);
      expect(lines[1]).toMatch(/^workflow [a-z0-9-]+: \d+ jobs/);
      const config = YAML.parse(fs.readFileSync(path.join(dir, '.circleci/config.yml'), 'utf8'));
      expect(validateConfigJson(config)).toEqual([]);
      for (const [name, job] of Object.entries(config.jobs as Record<string, any>)) {
        for (const d of job.docker ?? []) expect([name, d.image]).toEqual([name, expect.stringMatching(/@sha256:[a-f0-9]{64}$/)]);
      }
      const gated = Object.keys(config.jobs).some((j) => j.endsWith('gate'));
      expect(fs.existsSync(path.join(dir, '.circleci/gatehouse/gatehouse.js'))).toBe(gated);
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'policy-report.json'), 'utf8')).passed).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('an Acme pipeline built for Tekton is refused with the fix: its gates read keys from a ConfigMap', () => {
  const issues = circleci.CircleCiEngine.check(ordersPipeline(AcmeTarget.TEKTON));
  expect(issues.length).toBeGreaterThan(0);
  expect(issues.every((i) => /trustedKeys is config map acme-gatehouse-trust .* use TrustSource\.inline/.test(i.message))).toBe(true);
});
