import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { Manifest } from './tekton-taskrun';

/**
 * Writes the gatehouse gate a Tekton output ships (the gzip in its gate ConfigMap) to
 * `<dir>/gatehouse.js`, checking it against the sha256 annotation, and returns the path.
 */
export function gateFromConfigMap(manifests: Manifest[], dir: string): string {
  const maps = manifests.filter((m) => m.kind === 'ConfigMap' && Object.keys(m.binaryData ?? {}).some((k) => k.endsWith('.js.gz')));
  if (maps.length !== 1) throw new Error(`expected one gate ConfigMap, found ${maps.length}`);
  const [key, value] = Object.entries(maps[0].binaryData as Record<string, string>)[0];
  const js = gunzipSync(Buffer.from(value, 'base64'));
  const sha = Object.entries((maps[0].metadata.annotations ?? {}) as Record<string, string>).find(([k]) => k.endsWith('/gate-sha256'))?.[1];
  if (createHash('sha256').update(js).digest('hex') !== sha) throw new Error(`${key}: sha256 differs from the ConfigMap's annotation`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'gatehouse.js');
  fs.writeFileSync(file, js);
  return file;
}

/** Runs the gatehouse CLI (`node gatehouse.js …`) in `cwd`; throws on a non-zero exit. */
export function gatehouse(cli: string, cwd: string, args: string[]): string {
  const res = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`gatehouse ${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  return res.stdout;
}
