import { securityPipeline } from './gate-helpers';
import { pipelineOf, render } from './helpers';
import { GatePolicy } from '../../src/core';
import { Bandit, Semgrep } from '../../src/security';

/*
 * The gates' audit events on Tekton: each gate writes its CloudEvent beside its outputs in the
 * reports workspace, knows its run (GATEHOUSE_RUN_ID from the PipelineRun's name) and, with
 * auditEventsUrl, also POSTs it to a CloudEvents sink.
 */

const gated = () => securityPipeline({ steps: [new Bandit(), new Semgrep()], gate: GatePolicy.defaults() });

/** Every gate step's script. */
function gateScripts(manifests: any[]): string[] {
  return pipelineOf(manifests).spec.tasks.flatMap((t: any) => (t.taskSpec?.steps ?? []).filter((s: any) => s.name === 'gate').map((s: any) => s.script as string));
}

test('every gate writes its audit event in its output folder, named after the gate', () => {
  const scripts = gateScripts(render(gated()).manifests);
  expect(scripts.length).toBeGreaterThanOrEqual(3);
  for (const s of scripts) expect(s).toMatch(/--events \.gatehouse\/gate\/[a-z0-9-]+\/gatehouse-events\.jsonl --subject [a-z0-9-]+ /);
  expect(scripts.join('\n')).not.toContain('--events-url');
});

test('auditEventsUrl: every gate also POSTs its event to the sink', () => {
  const url = 'http://el-audit.tekton-events.svc.cluster.local:8080/gatehouse';
  const scripts = gateScripts(render(gated(), { auditEventsUrl: url }).manifests);
  for (const s of scripts) expect(s).toContain(`--events-url ${url} `);
});

test.each([
  'file:///etc/passwd',
  'https://user:pw@sink.example/x',
  'http://sink.example/x?token=1',
  'http://sink.example/$(params.x)',
  'http://sink.example/ --fail-on=none',
])('auditEventsUrl %j is refused with the fix', (url) => {
  expect(() => render(gated(), { auditEventsUrl: url })).toThrow(/auditEventsUrl ".*" is not a plain http\(s\) URL: give the address of a CloudEvents sink/);
});
