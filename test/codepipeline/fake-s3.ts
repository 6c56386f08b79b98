import { spawn } from 'child_process';
import { createHash, createHmac } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';

/** Credentials the fake container-credentials endpoint hands out (as CodeBuild's does to the AWS CLI). */
export const FAKE_CREDS = { AccessKeyId: 'AKIDGATEHOUSETEST', SecretAccessKey: 'gatehouse/test/secret', Token: 'session-token-1', Expiration: '2999-01-01T00:00:00Z' };

/** A request the fake S3 received. */
export interface S3Request {
  readonly method: string;
  /** Path-style `/<bucket>/<key>`, without the query. */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** Whether the Signature Version 4 header verifies (recomputed here, independently of the client). */
  readonly signatureValid: boolean;
}

/** A log event the fake CloudWatch Logs received. */
export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/**
 * A local stand-in for S3 (path-style, as the AWS CLI addresses it with `--endpoint-url`) and
 * CodeBuild's container credentials endpoint: HeadObject, GetObject and PutObject, with S3's
 * answers for a missing key (404), a denied one (403) and an outage (500); each request's
 * Signature Version 4 is checked against the handed-out credentials. It also answers CloudWatch
 * Logs' CreateLogStream and PutLogEvents (JSON 1.1 protocol, `X-Amz-Target`), as the same CLI
 * sends them to the same endpoint.
 */
export class FakeS3 {
  public readonly objects = new Map<string, Buffer>();
  /** Content types the objects were stored with. */
  public readonly contentTypes = new Map<string, string>();
  /** Paths answered 403 AccessDenied (what S3 answers a role without the permission); a path ending in `/` denies its whole folder. */
  public readonly denied = new Set<string>();
  /** Paths answered 500 (an S3 outage). */
  public readonly failing = new Set<string>();
  public readonly requests: S3Request[] = [];
  /** Log events by `<group>/<stream>` (a created stream has an entry). */
  public readonly logStreams = new Map<string, LogEvent[]>();
  /** Log groups whose writes are answered AccessDeniedException (a role without the permission). */
  public readonly deniedLogGroups = new Set<string>();
  private server?: http.Server;

  public async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => this.answer(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    if (url === '/creds') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(FAKE_CREDS));
      return;
    }
    const [pathname, query = ''] = url.split('?');
    const method = req.method!;
    const target = String(req.headers['x-amz-target'] ?? '');
    const signatureValid = verifySignature(method, pathname, query, req.headers, body, target.startsWith('Logs_') ? 'logs' : 's3');
    this.requests.push({ method, path: pathname, headers: req.headers, body, signatureValid });
    if (target.startsWith('Logs_')) return this.answerLogs(target, body, signatureValid, res);
    const error = (status: number, code: string) => {
      // HeadObject answers carry no body: the CLI then knows only the status
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(method === 'HEAD' ? undefined : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
    };
    if (!signatureValid) return error(403, 'SignatureDoesNotMatch');
    if (this.denied.has(pathname) || [...this.denied].some((d) => d.endsWith('/') && pathname.startsWith(d))) return error(403, 'AccessDenied');
    if (this.failing.has(pathname)) return error(500, 'InternalError');
    if (query !== '') return error(501, 'NotImplemented');
    if (method === 'PUT') {
      if (String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) return error(501, 'NotImplemented');
      const md5 = req.headers['content-md5'];
      if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) return error(400, 'BadDigest');
      this.objects.set(pathname, body);
      this.contentTypes.set(pathname, String(req.headers['content-type'] ?? 'binary/octet-stream'));
      res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return error(405, 'MethodNotAllowed');
    const object = this.objects.get(pathname);
    if (!object) return error(404, 'NoSuchKey');
    res.writeHead(200, {
      'content-length': object.length,
      'content-type': this.contentTypes.get(pathname) ?? 'binary/octet-stream',
      'etag': `"${createHash('md5').update(object).digest('hex')}"`,
      'last-modified': new Date(0).toUTCString(),
    });
    res.end(method === 'HEAD' ? undefined : object);
  }

  /** CloudWatch Logs' CreateLogStream and PutLogEvents, as the CLI sends them (JSON 1.1). */
  private answerLogs(target: string, body: Buffer, signatureValid: boolean, res: http.ServerResponse): void {
    const send = (status: number, payload: object) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(payload));
    };
    if (!signatureValid) return send(400, { __type: 'InvalidSignatureException', message: 'signature does not match' });
    const input = JSON.parse(body.toString('utf8'));
    const group = String(input.logGroupName);
    if (this.deniedLogGroups.has(group)) return send(400, { __type: 'AccessDeniedException', message: `not authorized to write to ${group}` });
    const key = `${group}/${input.logStreamName}`;
    switch (target) {
      case 'Logs_20140328.CreateLogStream':
        if (this.logStreams.has(key)) return send(400, { __type: 'ResourceAlreadyExistsException', message: 'The specified log stream already exists' });
        this.logStreams.set(key, []);
        return send(200, {});
      case 'Logs_20140328.PutLogEvents': {
        const stream = this.logStreams.get(key);
        if (!stream) return send(400, { __type: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' });
        stream.push(...input.logEvents);
        return send(200, { nextSequenceToken: String(stream.length) });
      }
      default:
        return send(400, { __type: 'UnknownOperationException' });
    }
  }
}

/** Signature Version 4 as the S3 documentation describes it, for header-signed requests (of `service`). */
function verifySignature(method: string, pathname: string, query: string, headers: http.IncomingHttpHeaders, body: Buffer, service: string): boolean {
  const auth = String(headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m || m[1] !== FAKE_CREDS.AccessKeyId || headers['x-amz-security-token'] !== FAKE_CREDS.Token || m[4] !== service) return false;
  const [, , day, region, , signed, signature] = m;
  const bodyHash = createHash('sha256').update(body).digest('hex');
  // S3 sends the payload's hash in a header; other services leave it to be computed
  const payload = headers['x-amz-content-sha256'] === undefined ? bodyHash : String(headers['x-amz-content-sha256']);
  if (payload !== 'UNSIGNED-PAYLOAD' && payload !== bodyHash) return false;
  const names = signed.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${String(headers[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalQuery = query.split('&').filter(Boolean).map((p) => (p.includes('=') ? p : `${p}=`)).sort().join('&');
  const canonical = [method, pathname, canonicalQuery, canonicalHeaders, signed, payload].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', String(headers['x-amz-date']), scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  const kDate = createHmac('sha256', `AWS4${FAKE_CREDS.SecretAccessKey}`).update(day).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
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
