/*
 * A local HTTPS release host (self-signed, trusted through SSL_CERT_FILE) and helpers that run a
 * pinned binary's install line for real with sh.
 */
import { execFileSync, spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import { createServer, Server } from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { installPinnedBinary, PinnedBinary } from '../../src/security/internal/pinned-binary';
import { scratchDir } from '../../src/security/internal/suppressions';

/** A local HTTPS server standing in for a release host, and the folder of a test. */
export interface ReleaseHost {
  readonly dir: string;
  readonly base: string;
  readonly served: Map<string, Buffer>;
}

let dir: string;
let server: Server;
let base: string;
const served = new Map<string, Buffer>();

/** Starts the host before the suite's tests and stops it after. */
export function useReleaseHost(): ReleaseHost {
  beforeAll(start);
  afterAll(stop);
  return {
    get dir() { return dir; },
    get base() { return base; },
    served,
  };
}

async function start(): Promise<void> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-pinned-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1'], { stdio: 'ignore' });
  server = createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (req, res) => {
    const body = served.get(req.url ?? '');
    res.statusCode = body ? 200 : 404;
    res.end(body ?? 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `https://localhost:${(server.address() as AddressInfo).port}`;
}

async function stop(): Promise<void> {
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A release archive holding one executable `name` that prints what it is. */
export function archive(name: string, says: string): Buffer {
  const src = fs.mkdtempSync(path.join(dir, 'src-'));
  fs.writeFileSync(path.join(src, name), `#!/bin/sh\necho ${says}\n`, { mode: 0o755 });
  const out = path.join(src, 'a.tar.gz');
  execFileSync('tar', ['-czf', out, '-C', src, name]);
  return fs.readFileSync(out);
}

export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A release binary that is the file itself (cosign, kubectl): an executable script that prints what it is. */
export function plainBinary(says: string): Buffer {
  return Buffer.from(`#!/bin/sh\necho ${says}\n`);
}

/** Runs scratchDir + the install line + `then` with sh in `work` (a fresh folder), trusting the test server. */
export function run(b: PinnedBinary, then: string, work?: string): Promise<{ code: number | null; out: string }> {
  return runScript([scratchDir(b.name), installPinnedBinary(b)].join('\n'), then, work);
}

/** Runs `install` (one or more command lines) + `then` with sh in `work` (a fresh folder), trusting the test server. */
export function runScript(install: string, then: string, work = fs.mkdtempSync(path.join(dir, 'work-'))): Promise<{ code: number | null; out: string }> {
  const script = ['set -e', install, then].join('\n');
  return new Promise((resolve) => {
    // PATH without any real syft/grype/cosign/kubectl: only the system's tools
    const p = spawn('/bin/sh', ['-c', script], { cwd: work, env: { PATH: '/usr/bin:/bin', SSL_CERT_FILE: path.join(dir, 'cert.pem'), TMPDIR: os.tmpdir() } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => resolve({ code, out }));
  });
}
