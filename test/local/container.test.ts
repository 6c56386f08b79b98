/**
 * The container runner: its command line (everywhere), and real runs in a local busybox image with
 * podman or docker where this machine can start containers (skipped, with the reason, where not).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BUSYBOX_IMAGE, containerSetup } from './container-support';
import { build, cleanup, cmd, run, runFile, sourceDir, step, ws } from './support';
import { Pipeline, Source } from '../../src';
import { LocalRunnerKind, LocalRunResult, LocalRunStatus, LocalStepStatus } from '../../src/local';
import { chooseRunner, StepPlan } from '../../src/local/runners';
import { containerArgv, containerPlanProblems } from '../../src/local/runners/container';

const plan = (props: Partial<StepPlan> = {}): StepPlan => ({ id: 'build/a', image: 'alpine:3', shell: '/bin/sh', secretNames: [], ...props });

describe('container runner: the command it runs', () => {
  const base = {
    bin: 'podman', name: 'gatehouse-x-1', imageId: `sha256:${'a'.repeat(64)}`, shell: '/bin/sh', script: 'echo hi', workspace: '/runs/1/workspace',
  };

  test('removed when done, named, the workspace mounted, the image by id, the script last; not privileged', () => {
    expect(containerArgv({ ...base, privileged: false, env: { A: 'x y' }, secretNames: [] })).toEqual([
      'podman', 'run', '--rm', '--name', 'gatehouse-x-1', '--volume', '/runs/1/workspace:/workspace', '--workdir', '/workspace',
      '--env', 'A=x y', `sha256:${'a'.repeat(64)}`, '/bin/sh', '-e', '-c', 'echo hi',
    ]);
  });

  test('privileged only when the step asks; secrets by name only, after the plain variables', () => {
    const argv = containerArgv({ ...base, privileged: true, env: { A: '1', TOKEN: 'plain' }, secretNames: ['TOKEN'] });
    expect(argv).toContain('--privileged');
    // TOKEN=plain from the defaults must not shadow the secret
    expect(argv.filter((a) => a.startsWith('TOKEN'))).toEqual(['TOKEN']);
    expect(argv.slice(argv.indexOf('--env'), argv.indexOf(base.imageId))).toEqual(['--env', 'A=1', '--env', 'TOKEN']);
  });

  test('refuses, listing every one, images that read as options and secrets the runtime itself reads', () => {
    expect(containerPlanProblems([plan({ image: '--privileged' }), plan({ id: 'build/b', secretNames: ['PATH', 'DOCKER_HOST', 'API_TOKEN'] })], '/a:b')).toEqual([
      'build/a image "--privileged" is not an image reference: name an image (registry/name:tag or @sha256:digest)',
      'build/b secret variable PATH is one the container runtime itself reads: rename the variable',
      'build/b secret variable DOCKER_HOST is one the container runtime itself reads: rename the variable',
      'the workspace /a:b has ":" or ",": a container cannot mount it: run from a folder without them',
    ]);
  });

  test('container without a runtime that answers is bad input; auto falls back to host and says why', () => {
    expect(() => chooseRunner(LocalRunnerKind.CONTAINER, [plan()], process.env, '/nonexistent/podman')).toThrow(
      'runner container cannot run this pipeline: no container runtime answers (/nonexistent/podman info: not installed); or use --runner host',
    );
    const auto = chooseRunner(LocalRunnerKind.AUTO, [plan()], process.env, '/nonexistent/podman');
    expect(auto.name).toBe('host');
    expect(auto.notes).toEqual([
      'runner host (auto: no container runtime answers (/nonexistent/podman info: not installed)): steps run in a shell on this machine; their images are not used (alpine:3): install the tools they need here',
    ]);
  });
});

const setup = containerSetup();
const real = setup.runtime ? describe : describe.skip;

real(`container runner, for real (${setup.note})`, () => {
  afterAll(cleanup);
  const env = { ...setup.env, GH_TEST_SECRET: 's3cr3t-Value-42', HOST_ONLY: 'host' };
  const inBusybox = (steps: ReturnType<typeof cmd>[], defaults: { env?: { [k: string]: string } } = {}) => new Pipeline({
    name: 'container-test', source: Source.gitHub({ owner: 'acme', repository: 'app', branch: 'main' }), defaults: { image: BUSYBOX_IMAGE, ...defaults }, stages: [build('build', steps)],
  });
  const runIn = (p: Pipeline, props = {}) => run(p, sourceDir({ 'app.txt': 'from the source\n' }), { runner: LocalRunnerKind.CONTAINER, containerRuntime: setup.runtime, env, ...props });
  const runtime = (args: string[]) => spawnSync(setup.runtime!, args, { env: setup.env as NodeJS.ProcessEnv, encoding: 'utf8' });
  /**
   * The runner's containers (`gatehouse-…`) still there that mount the workspace of `r`: other
   * suites may run containers of their own meanwhile (one that is gone by the time it is inspected
   * is not left).
   */
  const leftovers = (r: LocalRunResult) => runtime(['ps', '-a', '--format', '{{.Names}}']).stdout.split('\n').filter((n) => n.startsWith('gatehouse-'))
    .filter((n) => runtime(['inspect', '--format', '{{range .Mounts}}{{.Source}}\n{{end}}', n]).stdout.split('\n').includes(r.workspace));

  test('a step runs in its image by id, in the mounted workspace, with its env and secrets and not the host\'s environment', async () => {
    const p = inBusybox([cmd('inside', [
      'pwd > where.txt', 'cat app.txt >> where.txt',
      'test -x /bin/busybox && ! test -e /usr/bin/podman && echo busybox-root >> where.txt',
      'echo "$PLAIN ${HOST_ONLY:-no-host-env}" >> where.txt',
      'echo "secret: $TOKEN"',
      '[ "$TOKEN" = s3cr3t-Value-42 ] && echo secret-ok >> where.txt',
    ], { env: { PLAIN: 'plain-value' }, secrets: [{ variable: 'TOKEN', secretName: 'gh/test/secret' }] })]);
    const r = await runIn(p);
    expect(r.runner).toBe('container');
    expect(step(r, 'build/inside')).toEqual(expect.objectContaining({ status: LocalStepStatus.SUCCEEDED, exitCode: 0, image: BUSYBOX_IMAGE, imageId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }));
    expect(ws(r, 'where.txt')).toBe('/workspace\nfrom the source\nbusybox-root\nplain-value no-host-env\nsecret-ok\n');
    expect(runFile(r, 'logs/build-inside.log')).toContain('secret: ***');
    expect(runFile(r, 'run.log')).toMatch(/runner container \(\w+\): each step in its image/);
    for (const f of ['run.log', 'run.json', 'logs/build-inside.log']) expect(runFile(r, f)).not.toContain('s3cr3t-Value-42');
    expect(leftovers(r)).toEqual([]);
  }, 120_000);

  test('the step\'s exit code is the container\'s; dependents are skipped', async () => {
    const r = await runIn(inBusybox([cmd('fail', ['echo before', 'exit 3', 'echo never']), cmd('after', ['true'], { runAfter: ['fail'] })]));
    expect(r.status).toBe(LocalRunStatus.FAILED);
    expect(step(r, 'build/fail')).toEqual(expect.objectContaining({ status: LocalStepStatus.FAILED, exitCode: 3, message: 'failed (exit 3)' }));
    expect(step(r, 'build/after').status).toBe(LocalStepStatus.SKIPPED);
  }, 120_000);

  test('privileged only when the step asks', async () => {
    const caps = 'grep CapEff /proc/self/status | cut -f2';
    const r = await runIn(inBusybox([cmd('plain', [`${caps} > plain.txt`]), cmd('priv', [`${caps} > priv.txt`], { privileged: true })]));
    expect(r.status).toBe(LocalRunStatus.SUCCEEDED);
    const sysAdmin = (hex: string) => (BigInt(`0x${hex.trim()}`) / 2n ** 21n) % 2n; // CAP_SYS_ADMIN is bit 21
    expect(sysAdmin(ws(r, 'plain.txt'))).toBe(0n);
    expect(sysAdmin(ws(r, 'priv.txt'))).toBe(1n);
  }, 120_000);

  test('a timeout kills the container: none is left', async () => {
    const started = Date.now();
    const r = await runIn(inBusybox([cmd('hang', ['echo started > started.txt', 'sleep 60'])]), { stepTimeoutSeconds: 2 });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(step(r, 'build/hang')).toEqual(expect.objectContaining({ status: LocalStepStatus.FAILED, timedOut: true, message: 'failed (timed out)' }));
    expect(ws(r, 'started.txt')).toBe('started\n');
    expect(runFile(r, 'logs/build-hang.log')).toContain('its container was killed');
    expect(leftovers(r)).toEqual([]);
  }, 120_000);

  test('an image that is not here and cannot be pulled is bad input: nothing runs', async () => {
    const src = sourceDir();
    const p = inBusybox([cmd('a', ['true'], { image: 'registry.invalid/none:1' })]);
    await expect(run(p, src, { runner: LocalRunnerKind.CONTAINER, containerRuntime: setup.runtime, env })).rejects.toThrow(/image registry.invalid\/none:1 is not in \w+ and cannot be pulled/);
    expect(fs.existsSync(path.join(src, '.gatehouse'))).toBe(false);
  }, 120_000);
});

if (!setup.runtime) {
  // say why on the console too, so a skipped run is visible in the log
  // eslint-disable-next-line no-console
  console.warn(`container runner tests skipped: no runtime runs containers here (${setup.note})`);
}
