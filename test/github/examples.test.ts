import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { validateWorkflow } from '../../src/github/validation/rules';

const EXAMPLES = path.join(__dirname, '../../examples');
/** Every example that builds a pipeline (examples/<name>/pipeline.ts). */
const building = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, 'pipeline.ts'))).sort();

test('every example that builds a pipeline renders for GitHub Actions (examples/<name>/github.ts)', () => {
  expect(building.length).toBeGreaterThanOrEqual(5);
  expect(building.filter((d) => !fs.existsSync(path.join(EXAMPLES, d, 'github.ts')))).toEqual([]);
});

describe.each(building)('examples/%s on GitHub Actions', (example) => {
  test('synth writes a workflow that passes GitHub\'s schema and every rule, every image by digest, the bundled gate when a gate runs, and the policy report passed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gatehouse-github-${example}-`));
    try {
      // run the example as the demo does (examples/demo.ts)
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lines: string[] = require(path.join(EXAMPLES, example, 'github.ts')).synth(dir);
      expect(lines[0]).toMatch(/^\.github\/workflows\/[a-z0-9-]+\.yml: \d+ jobs$/);
      const workflows = fs.readdirSync(path.join(dir, '.github/workflows'));
      expect(workflows).toHaveLength(1);
      const workflow = YAML.parse(fs.readFileSync(path.join(dir, '.github/workflows', workflows[0]), 'utf8'));
      expect(validateWorkflow(workflow)).toEqual([]);
      const jobs = Object.entries(workflow.jobs as Record<string, any>);
      for (const [id, job] of jobs) {
        const image = typeof job.container === 'string' ? job.container : job.container?.image;
        if (image !== undefined) expect([id, image]).toEqual([id, expect.stringMatching(/@sha256:[a-f0-9]{64}$/)]);
      }
      const gated = jobs.some(([id]) => id.endsWith('-gate'));
      expect(fs.existsSync(path.join(dir, '.github/gatehouse/gatehouse.js'))).toBe(gated);
      const report = JSON.parse(fs.readFileSync(path.join(dir, '.github/gatehouse/policy-report.json'), 'utf8'));
      expect(report.passed).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
