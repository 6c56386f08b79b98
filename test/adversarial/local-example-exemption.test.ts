/**
 * An app team against the local example's SAST gate: the one signed exemption is all that lets
 * it pass. Widening or rewording it (to cover more, or to sign it yourself) must fail the gate.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runLocal } from '../../examples/local-app/local';
import { LocalStepStatus } from '../../src/local';
import { ROOT } from '../e2e/support/tools';

const EXAMPLE = path.join(ROOT, 'examples/local-app');
const BIN = path.join(ROOT, 'node_modules/.bin');

describe('local example: the signed exemption cannot be bent', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-adv-local-app-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /**
   * The example copied out, its exemptions file changed by `edit`; the eslint gate's verdict. Only
   * the eslint step and its gate run, the SAST gate being the one judged here (the whole example
   * runs in test/local/example.test.ts).
   */
  async function sastVerdict(name: string, edit: (text: string) => string): Promise<string> {
    const src = path.join(tmp, name);
    fs.cpSync(EXAMPLE, src, { recursive: true, filter: (f) => !f.includes(`${path.sep}.gatehouse${path.sep}runs`) });
    const file = path.join(src, '.gatehouse/exemptions.yaml');
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
    const { result } = await runLocal({ runsDir: path.join(tmp, `${name}-runs`), binDirs: [BIN], sourceDir: src, steps: ['security/eslint-security'] });
    expect(result.steps.filter((s) => s.status !== LocalStepStatus.NOT_SELECTED).map((s) => `${s.stage}/${s.step}`)).toEqual(['security/eslint-security']);
    return result.steps.find((s) => s.step === 'eslint-security')!.gate!.verdict;
  }

  test.each([
    ['as committed', 'PASSED', (t: string) => t],
    ['path widened to every file', 'FAILED', (t: string) => t.replace('path: app/scripts/**', 'path: app/**')],
    ['approver swapped for the other approver', 'FAILED', (t: string) => t.replace('approvedBy: sec.marco', 'approvedBy: sec.priya')],
    ['self-approved by the requester', 'FAILED', (t: string) => t.replace('approvedBy: sec.marco', 'approvedBy: dev.lena')],
    ['expiry pushed out', 'FAILED', (t: string) => t.replace('expires: 2027-03-03', 'expires: 2027-03-04')],
    ['signature removed', 'FAILED', (t: string) => t.replace(/\n\s+signature: .*/, '')],
  ])('exemption %s: the SAST gate %s', async (name, verdict, edit) => {
    expect(await sastVerdict(name.replace(/\W+/g, '-'), edit)).toBe(verdict);
  }, 120_000);
});
