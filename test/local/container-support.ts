/**
 * A container runtime that can really run a step here, with a local image built from Debian's
 * busybox-static (no registry needed), or the reason there is none.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const BUSYBOX_IMAGE = 'localhost/gatehouse-test-busybox:1';

export interface ContainerSetup {
  /** The runtime program, when one runs containers here. */
  readonly runtime?: string;
  /** Environment to run it with (may hold CONTAINERS_CONF). */
  readonly env: { [name: string]: string | undefined };
  /** What was needed, or why nothing runs. */
  readonly note: string;
}

const run = (bin: string, args: string[], env: NodeJS.ProcessEnv, input?: Buffer) => {
  const r = spawnSync(bin, args, { env, input, encoding: 'utf8', timeout: 120_000 });
  const err = (r.error?.message ?? `${r.stderr ?? ''}`.trim().split('\n').slice(-1)[0]) || `exit ${r.status}`;
  return { ok: r.status === 0 && !r.error, err };
};

/** A root filesystem of busybox-static and its applets, as a tar file. */
function busyboxTar(dir: string): string | undefined {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((f) => fs.existsSync(f));
  if (!busybox) return undefined;
  const root = path.join(dir, 'root');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  for (const d of ['tmp', 'proc', 'sys', 'dev', 'etc', 'mnt']) fs.mkdirSync(path.join(root, d));
  fs.copyFileSync(busybox, path.join(root, 'bin/busybox'));
  fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
  const applets = spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter((a) => /^[a-z0-9_.[-]+$/.test(a) && a !== 'busybox');
  for (const a of applets) fs.symlinkSync('busybox', path.join(root, 'bin', a));
  const tar = path.join(dir, 'rootfs.tar');
  const t = spawnSync('tar', ['-C', root, '-cf', tar, '.']);
  return t.status === 0 ? tar : undefined;
}

/**
 * Imports the busybox image into podman (or docker) and starts one container from it: as is, then
 * with a containers.conf choosing runc and keeping the limits of this process (sandboxes without
 * CAP_SYS_RESOURCE, or with hybrid cgroups crun refuses).
 */
export function containerSetup(): ContainerSetup {
  const reasons: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-image-'));
  try {
    for (const runtime of ['podman', 'docker']) {
      const env: NodeJS.ProcessEnv = { ...process.env };
      const info = run(runtime, ['info'], env);
      if (!info.ok) {
        reasons.push(`${runtime} info: ${info.err}`);
        continue;
      }
      if (!run(runtime, ['image', 'inspect', BUSYBOX_IMAGE], env).ok) {
        const tar = busyboxTar(dir);
        if (!tar) {
          reasons.push('busybox-static is not installed (apt-get install busybox-static)');
          break;
        }
        const imported = run(runtime, ['import', tar, BUSYBOX_IMAGE], env);
        if (!imported.ok) {
          reasons.push(`${runtime} import: ${imported.err}`);
          continue;
        }
      }
      const plain = run(runtime, ['run', '--rm', BUSYBOX_IMAGE, '/bin/sh', '-c', 'true'], env);
      if (plain.ok) return { runtime, env, note: `${runtime}, as configured` };
      reasons.push(`${runtime} run: ${plain.err}`);
      if (runtime !== 'podman') continue;
      const limits = (name: string) => fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith(name))!.trim().split(/\s{2,}/).slice(1, 3);
      const [nofileSoft, nofileHard] = limits('Max open files');
      // one file per test process: suites running side by side never read one another's half-written file
      const conf = path.join(os.tmpdir(), `gatehouse-test-containers-${process.pid}.conf`);
      fs.writeFileSync(conf, `[containers]\ndefault_ulimits = ["nofile=${nofileSoft}:${nofileHard}", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n`);
      const confEnv = { ...env, CONTAINERS_CONF: conf };
      const tuned = run(runtime, ['run', '--rm', BUSYBOX_IMAGE, '/bin/sh', '-c', 'true'], confEnv);
      if (tuned.ok) return { runtime, env: confEnv, note: `${runtime} with runc and this process's limits (${reasons.join('; ')})` };
      reasons.push(`${runtime} run with runc and this process's limits: ${tuned.err}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { env: process.env, note: reasons.join('; ') };
}
