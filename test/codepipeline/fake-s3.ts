import { spawn } from 'child_process';
import { createHash, createHmac } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

/** Credentials the fake container-credentials endpoint hands out. */
export const FAKE_CREDS = { AccessKeyId: 'AKIDGATEHOUSETEST', SecretAccessKey: 'gatehouse/test/secret', Token: 'session-token-1' };

/** A request the fake S3 received. */
export interface S3Request {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** Whether the Signature Version 4 header verifies (recomputed here, independently of the client). */
  readonly signatureValid: boolean;
}

/**
 * A local stand-in for S3 and CodeBuild's credentials endpoint: serves objects, stores PUTs,
 * and checks each request's Signature Version 4 with the handed-out credentials.
 */
export class FakeS3 {
  public readonly objects = new Map<string, Buffer>();
  /** Paths answered 403 AccessDenied (what S3 answers a role without the permission). */
  public readonly denied = new Set<string>();
  /** Paths answered 500 (an S3 outage). */
  public readonly failing = new Set<string>();
  public readonly requests: S3Request[] = [];
  private server?: http.Server;

  public async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const url = req.url ?? '/';
        if (url === '/creds') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(FAKE_CREDS));
          return;
        }
        const signatureValid = verifySignature(req.method!, url, req.headers, body);
        this.requests.push({ method: req.method!, path: url, headers: req.headers, body, signatureValid });
        if (!signatureValid) {
          res.writeHead(403);
          res.end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
        } else if (this.denied.has(url)) {
          res.writeHead(403);
          res.end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
        } else if (this.failing.has(url)) {
          res.writeHead(500);
          res.end('<Error><Code>InternalError</Code></Error>');
        } else if (req.method === 'GET' && this.objects.has(url)) {
          res.writeHead(200);
          res.end(this.objects.get(url));
        } else if (req.method === 'PUT') {
          this.objects.set(url, body);
          res.writeHead(200);
          res.end();
        } else {
          res.writeHead(404);
          res.end('<Error><Code>NoSuchKey</Code></Error>');
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Signature Version 4 as the S3 documentation describes it, for header-signed requests without a query. */
function verifySignature(method: string, url: string, headers: http.IncomingHttpHeaders, body: Buffer): boolean {
  const auth = String(headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m || m[1] !== FAKE_CREDS.AccessKeyId || headers['x-amz-security-token'] !== FAKE_CREDS.Token) return false;
  const [, , day, region, signed, signature] = m;
  const payload = String(headers['x-amz-content-sha256']);
  if (payload !== 'UNSIGNED-PAYLOAD' && payload !== createHash('sha256').update(body).digest('hex')) return false;
  const names = signed.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${String(headers[n]).trim()}\n`).join('');
  const canonical = [method, url, '', canonicalHeaders, signed, payload].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', String(headers['x-amz-date']), scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const kDate = createHmac('sha256', `AWS4${FAKE_CREDS.SecretAccessKey}`).update(day).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update('s3').digest();
  const kSigning = createHmac('sha256', kService).update('aws4_request').digest();
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex') === signature;
}

/** What a script run left behind. */
export interface ScriptRun {
  readonly code: number;
  readonly output: string;
  /** `GATE_*` variables as the script left them exported. */
  readonly variables: Record<string, string>;
  readonly dir: string;
}

/**
 * Runs a rendered script with `shell` in `dir` (as CodeBuild does, from the source root), with
 * only `env` and PATH/HOME set, and collects the exported `GATE_*` variables after it.
 */
export async function runScript(shell: string, script: string, dir: string, env: Record<string, string>): Promise<ScriptRun> {
  const varsFile = path.join(dir, '..', `vars-${path.basename(dir)}.txt`);
  const wrapped = `${script}\nrc=$?\nenv | grep '^GATE_' > '${varsFile}'\nexit $rc\n`;
  const child = spawn(shell, ['-c', wrapped], { cwd: dir, env: { PATH: process.env.PATH!, HOME: os.tmpdir(), ...env } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const variables: Record<string, string> = {};
  if (fs.existsSync(varsFile)) {
    for (const line of fs.readFileSync(varsFile, 'utf8').split('\n').filter(Boolean)) {
      const i = line.indexOf('=');
      variables[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  return { code, output, variables, dir };
}
