/**
 * A step of the app team's pipeline tries to leak the secret it is given into what the local engine
 * writes: its log, run.log (what was printed) and run.json. Every copy must be masked.
 */
import * as fs from 'fs';
import * as path from 'path';
import { build, cleanup, cmd, pipeline, run, sourceDir, step } from '../local/support';

const SECRET = 'hunter2-Zq9vX3-not-a-real-token';

/** Every file of the run folder except the workspace (where the step may write what it likes). */
function runFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = path.join(rel, e.name);
    if (r === 'workspace') return [];
    return e.isDirectory() ? runFiles(dir, r) : [r];
  });
}

describe('the local engine never writes a secret value', () => {
  afterAll(cleanup);

  test('a step that echoes its secret, split across writes, on stderr, and as part of a longer line: every copy is masked', async () => {
    // GIVEN a step with a secret from an env file that prints it every way it can
    const src = sourceDir({ '.env.local': `# local secrets\nDEPLOY_TOKEN="${SECRET}"\n` });
    const p = pipeline([build('deploy', [cmd('leak', [
      'echo "token=$TOKEN"',
      'echo "$TOKEN" >&2',
      // half, a pause, the other half: two chunks of output
      'printf "%s" "$(echo "$TOKEN" | cut -c1-8)"; sleep 0.2; printf "%s\\n" "$(echo "$TOKEN" | cut -c9-)"',
      'echo "$TOKEN" > leaked.txt',
      'false',
    ], { secrets: [{ variable: 'TOKEN', secretName: 'deploy/token' }], reports: [{ name: 'leak', paths: ['leaked.txt'] }] })])]);
    // WHEN it runs
    const r = await run(p, src, { envFile: path.join(src, '.env.local'), env: { PATH: process.env.PATH! } });
    // THEN the step saw the value (it wrote it into the workspace), and no file the engine wrote holds it
    expect(fs.readFileSync(path.join(r.workspace, 'leaked.txt'), 'utf8')).toBe(`${SECRET}\n`);
    const log = fs.readFileSync(path.join(r.runDir, 'logs/deploy-leak.log'), 'utf8');
    expect(log).toContain('token=***');
    // stdout and stderr reach the log through two pipes, so their lines may interleave either way:
    // count the masks (the line, stderr, the two halves joined), and look for each half on its own
    expect((log.match(/\*\*\*/g) ?? []).length).toBe(3);
    for (const half of [SECRET.slice(0, 8), SECRET.slice(8)]) expect(log).not.toContain(half);
    for (const f of runFiles(r.runDir).filter((x) => !x.startsWith('reports/'))) {
      expect({ f, leaked: fs.readFileSync(path.join(r.runDir, f), 'utf8').includes(SECRET) }).toEqual({ f, leaked: false });
    }
    // the tail of the failed step's log, printed and kept in run.log, is masked too
    expect(fs.readFileSync(path.join(r.runDir, 'run.log'), 'utf8')).toContain('token=***');
    expect(step(r, 'deploy/leak').status).toBe('FAILED');
  });

  test('a secret read from the environment under its normalized name is masked the same', async () => {
    const p = pipeline([build('deploy', [cmd('leak', ['echo "$TOKEN"'], { secrets: [{ variable: 'TOKEN', secretName: 'prod/db', key: 'password' }] })])]);
    const r = await run(p, sourceDir(), { env: { PATH: process.env.PATH!, PROD_DB_PASSWORD: SECRET } });
    expect(fs.readFileSync(path.join(r.runDir, 'logs/deploy-leak.log'), 'utf8')).toBe('***\n');
  });
});
