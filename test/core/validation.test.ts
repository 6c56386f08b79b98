import { Approver, ApprovalStep, CommandStep, Pipeline, Source, Stage } from '../../src/core';

const src = Source.gitHub({ owner: 'acme', repository: 'app' });
const cmd = (name: string, extra: Partial<ConstructorParameters<typeof CommandStep>[0]> = {}) =>
  new CommandStep({ name, commands: ['echo ok'], ...extra });

function issuesOf(p: Pipeline): string[] {
  return p.validate().map((i) => `${i.path}: ${i.message}`);
}

describe('pipeline validation', () => {
  test('a valid pipeline has no issues and assertValid does not throw', () => {
    const p = new Pipeline({ name: 'ok', source: src, stages: [Stage.buildStage('build', { steps: [cmd('a')] })] });
    expect(p.validate()).toEqual([]);
    expect(() => p.assertValid()).not.toThrow();
  });

  test('fails on a pipeline without stages', () => {
    const p = new Pipeline({ name: 'empty', source: src });
    expect(issuesOf(p)).toEqual(['pipeline "empty": has no stages: add at least one stage']);
    expect(() => p.graph()).toThrow(/pipeline "empty" is invalid \(1 issue\)/);
  });

  test('fails on duplicate stage names', () => {
    const p = new Pipeline({
      name: 'dup',
      source: src,
      stages: [Stage.buildStage('build', { steps: [cmd('a')] }), Stage.testStage('build', { steps: [cmd('b')] })],
    });
    expect(issuesOf(p)).toContain('stage "build": is declared twice: give every stage a unique name');
  });

  test('fails on duplicate step names in a stage', () => {
    const p = new Pipeline({ name: 'dup', source: src, stages: [Stage.buildStage('build', { steps: [cmd('a'), cmd('a')] })] });
    expect(issuesOf(p).join('\n')).toMatch(/stage "build" > step "a": is declared twice in the stage/);
  });

  test('fails on names that collide once engines join them', () => {
    const p = new Pipeline({
      name: 'clash',
      source: src,
      stages: [Stage.buildStage('a-b', { steps: [cmd('c')] }), Stage.testStage('a', { steps: [cmd('b-c')] })],
    });
    expect(issuesOf(p).join('\n')).toMatch(/makes the engine name "a-b-c", as a-b\/c does: rename one of them/);
  });

  test('fails on an empty stage', () => {
    const p = new Pipeline({ name: 'p', source: src, stages: [Stage.buildStage('build')] });
    expect(issuesOf(p)).toEqual(['stage "build": has no steps: add a step or remove the stage']);
  });

  test('fails on an unknown requires', () => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      stages: [Stage.buildStage('build', { steps: [cmd('a')] }), Stage.testStage('test', { requires: ['biuld'], steps: [cmd('b')] })],
    });
    expect(issuesOf(p).join('\n')).toMatch(/stage "test": requires unknown stage "biuld": name one of "build", "test"/);
  });

  test('fails on a stage that requires itself', () => {
    const p = new Pipeline({ name: 'p', source: src, stages: [Stage.buildStage('build', { requires: ['build'], steps: [cmd('a')] })] });
    expect(issuesOf(p).join('\n')).toMatch(/stage "build": requires itself/);
  });

  test('fails on a cycle of stages', () => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      stages: [
        Stage.buildStage('a', { requires: ['c'], steps: [cmd('x')] }),
        Stage.testStage('b', { requires: ['a'], steps: [cmd('y')] }),
        Stage.testStage('c', { requires: ['b'], steps: [cmd('z')] }),
      ],
    });
    expect(issuesOf(p).join('\n')).toMatch(/stages form a cycle \(a -> c -> b -> a\)/);
  });

  test('fails on a cycle of steps and on unknown runAfter', () => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      stages: [
        Stage.buildStage('build', {
          steps: [cmd('a', { runAfter: ['b'] }), cmd('b', { runAfter: ['a'] }), cmd('c', { runAfter: ['nope'] })],
        }),
      ],
    });
    const text = issuesOf(p).join('\n');
    expect(text).toMatch(/steps form a cycle \(a -> b -> a\)/);
    expect(text).toMatch(/step "c": runs after unknown step "nope"/);
  });

  test('fails on an approval nobody may approve', () => {
    const p = new Pipeline({ name: 'p', source: src, stages: [Stage.approvalStage('approve', { approvers: [] })] });
    expect(issuesOf(p).join('\n')).toMatch(/stage "approve" > step "approve": has nobody allowed to approve: add an approver/);
  });

  test('fails on an artifact read before it is produced', () => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      stages: [
        Stage.buildStage('build', { requires: [], steps: [cmd('compile', { outputs: [{ name: 'dist', paths: ['dist/**'] }] })] }),
        Stage.testStage('test', { requires: [], steps: [cmd('unit', { inputs: ['dist'] })] }),
        Stage.testStage('more', { steps: [cmd('x', { inputs: ['missing'] })] }),
      ],
    });
    const text = issuesOf(p).join('\n');
    expect(text).toMatch(/step "unit": reads artifact "dist" of stage "build", which does not run before it/);
    expect(text).toMatch(/step "x": reads unknown artifact "missing"/);
  });

  test('lists every name an engine cannot take at once, with the fix, instead of throwing in each constructor', () => {
    const p = new Pipeline({
      name: 'My_Pipeline',
      source: src,
      stages: [
        Stage.buildStage('Build Stage', { steps: [cmd('x'.repeat(31), { outputs: [{ name: 'Dist', paths: ['dist'] }] })] }),
        Stage.deployStage('deploy', { environment: 'Prod', steps: [cmd('ok', { reports: [{ name: 'my report', paths: ['r.json'] }] })] }),
      ],
    });
    expect(issuesOf(p)).toEqual([
      'pipeline "My_Pipeline": name "My_Pipeline" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "my-pipeline")',
      'stage "Build Stage": name "Build Stage" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "build-stage")',
      `stage "Build Stage" > step "${'x'.repeat(31)}": name "${'x'.repeat(31)}" is 31 characters long: use at most 30 (engines build longer names from it)`,
      `stage "Build Stage" > step "${'x'.repeat(31)}": output artifact name "Dist" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "dist")`,
      'stage "deploy": environment name "Prod" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "prod")',
      'stage "deploy" > step "ok": report name "my report" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "my-report")',
    ]);
    expect(() => p.assertValid()).toThrow(/pipeline "My_Pipeline" is invalid \(6 issues\)/);
  });

  test('lists every issue at once in the thrown error', () => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      stages: [Stage.buildStage('a'), Stage.testStage('b', { requires: ['zz'], steps: [cmd('s')] })],
    });
    expect(() => p.assertValid()).toThrow(/\(2 issues\)[\s\S]*stage "a": has no steps[\s\S]*stage "b": requires unknown stage "zz"/);
  });
});

describe('constructors throw early', () => {
  test('fails on a command step without commands', () => {
    expect(() => new CommandStep({ name: 'x', commands: [] })).toThrow('step "x" has no commands: give at least one shell command');
    expect(() => new CommandStep({ name: 'x', commands: ['  '] })).toThrow(/command 1 is empty/);
  });

  test('fails on out-of-range timeouts and retries', () => {
    expect(() => cmd('x', { timeoutMinutes: 0 })).toThrow(/timeoutMinutes 0 is out of range/);
    expect(() => cmd('x', { retries: -1 })).toThrow(/retries -1 is out of range/);
    expect(() => new ApprovalStep({ name: 'a', approvers: [Approver.user('ann')], timeoutMinutes: 20000 })).toThrow(/7 days/);
  });

  test('fails on a secret that is also a plain env var, or has no secret name', () => {
    expect(() => cmd('x', { env: { TOKEN: 'v' }, secrets: [{ variable: 'TOKEN', secretName: 's' }] })).toThrow(
      /variable "TOKEN" is both in env and in secrets: keep it in secrets only/,
    );
    expect(() => cmd('x', { secrets: [{ variable: 'TOKEN', secretName: '' }] })).toThrow(/has no secretName/);
  });

  test('fails on a deploy stage without environment', () => {
    expect(() => Stage.deployStage('prod', { environment: '' })).toThrow(/deploy stage "prod" has no environment/);
  });

  test('fails on a bad approver or review link', () => {
    expect(() => Approver.user('')).toThrow(/approver user name "" is empty/);
    expect(() => new ApprovalStep({ name: 'a', approvers: [Approver.group('sec')], reviewUrl: 'javascript:alert(1)' })).toThrow(/not an http\(s\) URL/);
  });

  test('fails on a hosted repository given as owner/repo', () => {
    expect(() => Source.gitHub({ owner: 'acme', repository: 'acme/app' })).toThrow(/pass the owner and the repository separately/);
    expect(() => Source.git({ url: 'file:///etc' })).toThrow(/is not a clone URL/);
  });
});

describe('graph', () => {
  test('steps run in parallel unless ordered', () => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      stages: [Stage.securityStage('scan', { steps: [cmd('sast'), cmd('sca'), cmd('gate', { runAfter: ['sast', 'sca'] })] })],
    });
    expect(p.graph().stepWaves('scan').map((w) => w.map((s) => s.name))).toEqual([['sast', 'sca'], ['gate']]);
  });

  test('an empty requires starts a stage with the pipeline; final stages are those nothing needs', () => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      stages: [
        Stage.buildStage('build', { steps: [cmd('a')] }),
        Stage.securityStage('secrets', { requires: [], steps: [cmd('b')] }),
        Stage.testStage('test', { requires: ['build'], steps: [cmd('c')] }),
      ],
    });
    const g = p.graph();
    expect(g.stageWaves().map((w) => w.map((s) => s.name))).toEqual([['build', 'secrets'], ['test']]);
    expect(g.finalStages().map((s) => s.name)).toEqual(['secrets', 'test']);
    expect(g.stageAncestors('test')).toEqual(['build']);
  });

  test('command step defaults come from the pipeline', () => {
    const step = cmd('a', { env: { B: 'step' } });
    const p = new Pipeline({
      name: 'p',
      source: src,
      defaults: { image: 'node:20', env: { A: 'pipe', B: 'pipe' }, timeoutMinutes: 15 },
      stages: [Stage.buildStage('build', { steps: [step] })],
    });
    expect(p.imageOf(step)).toBe('node:20');
    expect(p.envOf(step)).toEqual({ A: 'pipe', B: 'step' });
    expect(p.timeoutOf(step)).toBe(15);
  });
});
