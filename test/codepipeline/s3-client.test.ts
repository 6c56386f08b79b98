import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { S3_CLIENT_JS } from '../../src/codepipeline/s3-client';

/** The client's `sign` and `encodePath`, loaded the way the gate script runs it: as a file node requires. */
function load(): { sign: Function; encodePath: (p: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-s3-client-'));
  try {
    const file = path.join(dir, 's3.js');
    fs.writeFileSync(file, S3_CLIENT_JS);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const AWS_EXAMPLE_CREDS = { id: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const MAY_24_2013 = new Date(Date.UTC(2013, 4, 24));

describe('the gate projects\' S3 client signs requests as AWS documents Signature Version 4', () => {
  const { sign, encodePath } = load();

  test('the GET Object example of the S3 API reference', () => {
    // WHEN
    const headers = sign(
      { method: 'GET', host: 'examplebucket.s3.amazonaws.com', path: '/test.txt', headers: { Range: 'bytes=0-9' }, payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      AWS_EXAMPLE_CREDS, 'us-east-1', MAY_24_2013,
    );
    // THEN
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(headers['x-amz-date']).toBe('20130524T000000Z');
  });

  test('the PUT Object example, whose key needs S3 path encoding', () => {
    // GIVEN the example's body hash
    const payloadHash = '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072'; // sha256("Welcome to Amazon S3.")
    // WHEN
    const headers = sign(
      {
        method: 'PUT',
        host: 'examplebucket.s3.amazonaws.com',
        path: encodePath('/test$file.text'),
        headers: { 'Date': 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
        payloadHash,
      },
      AWS_EXAMPLE_CREDS, 'us-east-1', MAY_24_2013,
    );
    // THEN
    expect(encodePath('/test$file.text')).toBe('/test%24file.text');
    expect(headers.authorization).toMatch(/Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd$/);
  });

  test('a session token is sent and signed', () => {
    // WHEN
    const headers = sign({ method: 'GET', host: 'b.s3.eu-west-1.amazonaws.com', path: '/k', payloadHash: 'UNSIGNED-PAYLOAD' }, { ...AWS_EXAMPLE_CREDS, token: 'tok' }, 'eu-west-1', MAY_24_2013);
    // THEN
    expect(headers['x-amz-security-token']).toBe('tok');
    expect(headers.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
  });

  test('the client is shell-safe inside its quoted heredoc and YAML literal block', () => {
    // THEN no line ends with a space, no tab, and the heredoc terminator never appears in it
    expect(S3_CLIENT_JS).not.toMatch(/ \n|\t/);
    expect(S3_CLIENT_JS.split('\n')).not.toContain('GATEHOUSE_S3_CLIENT');
  });
});
