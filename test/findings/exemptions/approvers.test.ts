import { parseApprovers } from '../../../src/findings/approvers';
import { UsageError } from '../../../src/findings/errors';
import { tempDir } from '../support';

const t = tempDir();
afterAll(() => t.cleanup());

describe('--approvers', () => {
  test('a comma list, trimmed and lowercased', () => {
    expect([...parseApprovers(' Sec.Bob , sec.carol,')]).toEqual(['sec.bob', 'sec.carol']);
  });

  test('a file: one per line or comma-separated, with comments, or a YAML list', () => {
    const file = t.file('approvers.txt', '# security team\nsec.bob\nsec.carol, sec.dan # on call\n');
    expect([...parseApprovers(file)]).toEqual(['sec.bob', 'sec.carol', 'sec.dan']);
    const yaml = t.file('approvers.yaml', '- sec.bob\n- "sec.erin"\n');
    expect([...parseApprovers(yaml)]).toEqual(['sec.bob', 'sec.erin']);
  });

  test('fails when it names nobody', () => {
    expect(() => parseApprovers(' , ')).toThrow(UsageError);
    expect(() => parseApprovers(t.file('empty.txt', '# nobody yet\n'))).toThrow(/names nobody/);
  });
});
