/**
 * A stand-in for Amazon S3 on 127.0.0.1, in its own process (the builds run with spawnSync, which
 * blocks this one): path-style `HEAD`, `GET` and `PUT` of `/<bucket>/<key>` (what `aws s3 cp`
 * sends), stored as files. It refuses
 * a request without a Signature V4 `Authorization` header, and does not verify the signature (no
 * AWS credentials exist here).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const SERVER = `
const http = require('http'), fs = require('fs'), path = require('path');
const root = process.argv[1];
http.createServer((req, res) => {
  const file = path.join(root, decodeURIComponent(req.url.split('?')[0]));
  const signed = /^AWS4-HMAC-SHA256 Credential=/.test(req.headers.authorization || '') && req.headers['x-amz-content-sha256'];
  fs.appendFileSync(path.join(root, '.requests'), req.method + ' ' + req.url + ' ' + (signed ? 'signed' : 'unsigned') + '\\n');
  if (!signed || !file.startsWith(root + path.sep)) { res.writeHead(403); return res.end('<Error><Code>AccessDenied</Code></Error>'); }
  if (req.method === 'GET' || req.method === 'HEAD') {
    const found = fs.existsSync(file) && fs.statSync(file).isFile();
    if (!found) { res.writeHead(404); return res.end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code></Error>'); }
    const body = fs.readFileSync(file);
    res.writeHead(200, { 'content-length': body.length, 'last-modified': new Date(0).toUTCString(), etag: '"0"' });
    return res.end(req.method === 'HEAD' ? undefined : body);
  }
  if (req.method === 'PUT') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { fs.mkdirSync(path.dirname(file), { recursive: true }); fs.writeFileSync(file, Buffer.concat(chunks)); res.writeHead(200); res.end(); });
    return;
  }
  res.writeHead(405); res.end();
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

/** A running fake S3. */
export interface FakeS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Folder holding `<bucket>/<key>` files. */
  readonly root: string;
  /** Puts a file at `<bucket>/<key>`. */
  put(bucket: string, key: string, content: Buffer | string): void;
  /** Reads `<bucket>/<key>`, or undefined. */
  get(bucket: string, key: string): string | undefined;
  /** `METHOD /path signed|unsigned` lines, in order. */
  requests(): string[];
  stop(): void;
}

/** Starts a fake S3 storing its objects under `root`. */
export async function startFakeS3(root: string): Promise<FakeS3> {
  fs.mkdirSync(root, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER, root], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((ok, fail) => {
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`fake S3 exited with ${code}`)));
    child.stdout!.once('data', (d: Buffer) => ok(Number(String(d).trim())));
  });
  const at = (bucket: string, key: string) => path.join(root, bucket, key);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    root,
    put: (bucket, key, content) => {
      fs.mkdirSync(path.dirname(at(bucket, key)), { recursive: true });
      fs.writeFileSync(at(bucket, key), content);
    },
    get: (bucket, key) => (fs.existsSync(at(bucket, key)) ? fs.readFileSync(at(bucket, key), 'utf8') : undefined),
    requests: () => (fs.existsSync(path.join(root, '.requests')) ? fs.readFileSync(path.join(root, '.requests'), 'utf8').trim().split('\n') : []),
    stop: () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}
