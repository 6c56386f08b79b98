import { readFileSync } from 'node:fs';
import { BANDIT, fixture, tempDir } from './support';
import { InternalError } from '../../src/findings/errors';
import { loadReport } from '../../src/findings/load';
import { JsonParser, ReportError } from '../../src/findings/types';

const t = tempDir();
afterAll(() => t.cleanup());

/** The ReportError message loading `file` rejects with. */
async function failure(file: string): Promise<string> {
  try {
    await loadReport(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ReportError);
    expect((e as ReportError).file).toBe(file);
    return (e as Error).message;
  }
  throw new Error(`${file} was accepted`);
}

describe('bad input fails closed with a ReportError naming the file', () => {
  test('fails on a missing file', async () => {
    expect(await failure(`${t.dir}/nope.json`)).toMatch(/nope\.json: does not exist/);
  });

  test('fails on a directory', async () => {
    expect(await failure(t.dir)).toMatch(/is a directory/);
  });

  test('fails on an empty file and on whitespace only', async () => {
    expect(await failure(t.file('empty.json', ''))).toMatch(/is empty \(0 bytes\)/);
    expect(await failure(t.file('blank.json', ' \n\t\n'))).toMatch(/is empty \(whitespace only\)/);
  });

  test('fails on binary content (NUL bytes), even named .json', async () => {
    expect(await failure(t.file('bin.json', Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x7d])))).toMatch(/is binary/);
    // NUL bytes after the first 64 KiB are found too
    const late = Buffer.concat([Buffer.from(`{"a":"${'x'.repeat(70_000)}`), Buffer.from([0]), Buffer.from('"}')]);
    expect(await failure(t.file('late-nul.json', late))).toMatch(/is binary/);
    // in ASCII text and in UTF-8 text with other characters, with and without a byte-order mark
    const utf8 = Buffer.concat([Buffer.from(`{"a":"é${'x'.repeat(70_000)}`), Buffer.from([0]), Buffer.from('"}')]);
    expect(await failure(t.file('late-nul-utf8.json', utf8))).toMatch(/is binary/);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), late]);
    expect(await failure(t.file('late-nul-bom.json', bom))).toMatch(/is binary/);
    // between two JSON Lines records
    const lines = Buffer.concat([Buffer.from(`{"a":1}\n${' '.repeat(70_000)}`), Buffer.from([0]), Buffer.from('\n{"b":2}\n')]);
    expect(await failure(t.file('late-nul-lines.json', lines))).toMatch(/is binary/);
  });

  test('fails on invalid UTF-8', async () => {
    expect(await failure(t.file('latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d])))).toMatch(/not valid UTF-8/);
  });

  test('fails on a truncated JSON report', async () => {
    const text = readFileSync(BANDIT, 'utf8');
    expect(await failure(t.file('cut.json', text.slice(0, Math.floor(text.length / 2))))).toMatch(/is not valid JSON/);
  });

  test('fails on JSON no parser recognizes, saying what it saw', async () => {
    const msg = await failure(t.file('other.json', '{"hello":"world","n":1}'));
    expect(msg).toMatch(/unrecognized format: no parser recognizes this JSON document \(top-level keys: hello, n\)/);
  });

  test('fails on text that is neither JSON nor XML', async () => {
    expect(await failure(t.file('report.sarif', 'Run finished: 3 issues\n'))).toMatch(/not a JSON or XML report.*unrecognized format/);
  });

  test('fails on XML with an unknown root element', async () => {
    expect(await failure(t.file('pom.xml', '<?xml version="1.0"?><project xmlns="http://maven.apache.org/POM/4.0.0"/>'))).toMatch(
      /no parser recognizes XML root element <project> in namespace http:\/\/maven.apache.org\/POM\/4.0.0/,
    );
  });

  test('fails on XML that declares entities (no XXE, no billion laughs)', async () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><OWASPZAPReport>&x;</OWASPZAPReport>';
    await failure(t.file('xxe.xml', xxe));
    const laughs = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><OWASPZAPReport>&b;</OWASPZAPReport>';
    await failure(t.file('laughs.xml', laughs));
  });

  test('fails on a truncated XML report', async () => {
    const text = readFileSync(fixture('zap', 'defectdojo', 'zap_some_2.9.0.xml'), 'utf8');
    await failure(t.file('cut.xml', text.slice(0, Math.floor(text.length / 2))));
  });

  test('fails on a schema-invalid report of a known format', async () => {
    const doc = JSON.parse(readFileSync(BANDIT, 'utf8'));
    doc.results[0].issue_severity = 42;
    expect(await failure(t.file('bad-bandit.json', JSON.stringify(doc)))).toMatch(/bad-bandit\.json: .*issue_severity/);
  });
});

describe('content decides the format, never the name', () => {
  test('reads a bandit report named like XML', async () => {
    const r = await loadReport(t.file('report.xml', readFileSync(BANDIT)));
    expect(r.format).toBe('bandit-json');
    expect(r.findings).toHaveLength(9);
  });

  test('reads UTF-8 with a byte-order mark and UTF-16LE with one', async () => {
    const text = readFileSync(BANDIT, 'utf8');
    const bom8 = await loadReport(t.file('bom8.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])));
    expect(bom8.findings).toHaveLength(9);
    const bom16 = await loadReport(t.file('bom16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
    expect(bom16.findings).toHaveLength(9);
  });

  test('reads JSON Lines (trufflehog) as the list of its records', async () => {
    const r = await loadReport(fixture('trufflehog', 'trufflehog-3-handmade.jsonl'));
    expect(r.tool).toBe('trufflehog');
    const lines = readFileSync(fixture('trufflehog', 'trufflehog-3-handmade.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    expect(r.findings).toHaveLength(lines.length);
  });

  test('reads a report after a long run of leading whitespace', async () => {
    const r = await loadReport(t.file('padded.json', `${' '.repeat(5000)}\n${readFileSync(BANDIT, 'utf8')}`));
    expect(r.findings).toHaveLength(9);
  });

  test('reads a bare JSON null (what gitleaks writes when it finds nothing) as an empty gitleaks report', async () => {
    const r = await loadReport(t.file('gitleaks.json', 'null\n'));
    expect(r).toMatchObject({ tool: 'gitleaks', findings: [] });
  });

  test('fails on a bare JSON value no parser claims', async () => {
    expect(await failure(t.file('number.json', '42'))).toMatch(/unrecognized format: .*a JSON number/);
  });

  test('reads XML by its root element', async () => {
    const r = await loadReport(fixture('zap', 'defectdojo', 'zap_some_2.9.0.xml'));
    expect(r.tool).toBe('zap');
  });
});

describe('exactly one parser per document', () => {
  const fake = (id: string, result: boolean | 'throw'): JsonParser => ({
    type: 'json',
    id,
    detect: () => {
      if (result === 'throw') throw new Error('boom');
      return result;
    },
    parse: () => ({ format: id, tool: id, findings: [] }),
  });

  test('fails with an internal error naming both when two parsers claim a document', async () => {
    const file = t.file('two.json', '{}');
    await expect(loadReport(file, [fake('alpha', true), fake('beta', true)])).rejects.toThrow(InternalError);
    await expect(loadReport(file, [fake('alpha', true), fake('beta', true)])).rejects.toThrow(/parsers "alpha" and "beta" both recognize/);
  });

  test('a detect that throws does not claim the document', async () => {
    const r = await loadReport(t.file('one.json', '{}'), [fake('alpha', 'throw'), fake('beta', true)]);
    expect(r.format).toBe('beta');
  });

  test('fails when a parser crashes: a bug in a parser is bad input, not a pass', async () => {
    const crashing: JsonParser = { ...fake('gamma', true), parse: () => (undefined as unknown as { x: number }).x as never };
    await expect(loadReport(t.file('crash.json', '{}'), [crashing])).rejects.toThrow(/crash\.json: is not a valid gamma report/);
  });
});
