/**
 * Against the container runner: a secret must never be on a command line another user of the
 * machine can read (`ps`, /proc/<pid>/cmdline), and a step must not get privileged mode without
 * asking for it, whatever its image name or variables say.
 */
import * as fs from 'fs';
import { Pipeline, Source } from '../../src/core';
import { LocalRunnerKind, LocalStepStatus } from '../../src/local';
import { containerArgv, containerPlanProblems } from '../../src/local/runners/container';
import { BUSYBOX_IMAGE, containerSetup } from '../local/container-support';
import { build, cleanup, cmd, sourceDir, step, run, ws } from '../local/support';

const SECRET = 'Xk7-cmdline-leak-9Qz';

/** Every command line of this machine's processes, read while `until` is pending. */
async function cmdlinesDuring(until: Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>();
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        seen.add(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
      } catch {
        // gone
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return [...seen];
}

describe('the container runner keeps secrets off command lines and privileged mode off', () => {
  afterAll(cleanup);

  test('the command line names the secret variable, never its value, even when the defaults hold a variable of the same name', () => {
    const argv = containerArgv({
      bin: 'docker',
      name: 'n',
      imageId: 'sha256:0',
      shell: '/bin/sh',
      script: 'echo "$TOKEN"',
      workspace: '/w',
      privileged: false,
      env: { TOKEN: 'from-defaults', OTHER: '--privileged' },
      secretNames: ['TOKEN'],
    });
    expect(argv.join(' ')).not.toContain('from-defaults');
    expect(argv).not.toContain('--privileged'); // a variable's value stays one argument: OTHER=--privileged
    expect(argv).toContain('OTHER=--privileged');
  });

  test('an image named like an option is refused before anything runs', () => {
    expect(containerPlanProblems([{ id: 'b/s', image: '--privileged', shell: '/bin/sh', secretNames: [] }])).toHaveLength(1);
  });

  const setup = containerSetup();
  (setup.runtime ? test : test.skip)(`a running step's secret is on no process's command line (${setup.note})`, async () => {
    const p = new Pipeline({
      name: 'adv-container',
      source: Source.gitHub({ owner: 'a', repository: 'b', branch: 'main' }),
      defaults: { image: BUSYBOX_IMAGE },
      stages: [build('deploy', [cmd('use', ['sleep 2', '[ "$TOKEN" = "$(cat expected.txt)" ] && echo got-it > got.txt'], {
        secrets: [{ variable: 'TOKEN', secretName: 'deploy/token' }],
      })])],
    });
    // the step compares with a file of the source: the value is on no command line but the secret's
    const running = run(p, sourceDir({ 'expected.txt': `${SECRET}\n` }), { runner: LocalRunnerKind.CONTAINER, containerRuntime: setup.runtime, env: { ...setup.env, DEPLOY_TOKEN: SECRET } });
    const lines = await cmdlinesDuring(running);
    const r = await running;
    expect(step(r, 'deploy/use').status).toBe(LocalStepStatus.SUCCEEDED);
    expect(ws(r, 'got.txt')).toBe('got-it\n'); // the container did get the value
    expect(lines.some((l) => l.includes(`${setup.runtime} run`))).toBe(true); // the client was seen
    expect(lines.filter((l) => l.includes(SECRET))).toEqual([]);
  }, 120_000);
});
