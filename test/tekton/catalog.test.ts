import { gateCommandLine, gateOptions, securityPipeline, taskOf } from './gate-helpers';
import { render } from './helpers';
import { gateOutputDir } from '../../src/core';
import { shellWord } from '../../src/core/gate-shell';
import { validateManifests } from '../../src/tekton/validation/validate';
import { ENTRIES } from '../security/entries';

describe('every catalog entry on Tekton', () => {
  // GIVEN one security stage holding every entry of the catalog, each with its default gate (or none)
  const scans = ENTRIES.map((e) => e.make());
  const { manifests } = render(securityPipeline({ steps: scans }));

  test.each(scans.map((s) => [s.name, s] as const))('%s: gated entries end with the gate over their reports, the others do not', (name, scan) => {
    const steps = taskOf(manifests, `sec-${name}`).taskSpec.steps;
    if (scan.gate) {
      expect(steps.map((s: any) => s.name)).toEqual(['run', 'finish', 'gate']);
      expect(gateCommandLine(steps[2])).toBe(`node "$gate" ${scan.gate.gateArgs(scan.findingsReports, gateOutputDir('sec', name), gateOptions([scan], scan.findingsReports)).map(shellWord).join(' ')}`);
    } else {
      expect(steps.map((s: any) => s.name)).not.toContain('gate');
    }
  });

  test('the objects pass every validation rule (schemas, webhook rules, run-time references, restricted steps)', () => {
    expect(scans.filter((s) => s.gate).length).toBeGreaterThan(10);
    expect(validateManifests(manifests)).toEqual([]);
  });
});
