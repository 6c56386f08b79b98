import { parseJsonDocument, parseJsonLines } from '../../../src/findings/parsers/jsonl';
import { ReportError } from '../../../src/findings/types';

describe('parseJsonLines', () => {
  test('one value per line; blank lines, CRLF and a byte-order mark are fine', () => {
    expect(parseJsonLines('\ufeff{"a":1}\r\n\r\n{"b":2}\n[3]\n')).toEqual([{ a: 1 }, { b: 2 }, [3]]);
  });

  test('no line at all is an empty list (the caller decides about empty reports)', () => {
    expect(parseJsonLines('\n  \n')).toEqual([]);
  });

  test('fails on a truncated last line, naming the file and the line', () => {
    const text = '{"a":1}\n{"b":2}\n{"c":';
    expect(() => parseJsonLines(text, 'th.jsonl')).toThrow(ReportError);
    expect(() => parseJsonLines(text, 'th.jsonl')).toThrow(/^th\.jsonl: line 3 is not valid JSON/);
  });
});

describe('parseJsonDocument', () => {
  test('a JSON document is returned as is', () => {
    expect(parseJsonDocument('{"runs": []}')).toEqual({ runs: [] });
    expect(parseJsonDocument('null')).toBeNull();
  });

  test('JSON Lines become an array of the line values', () => {
    expect(parseJsonDocument('{"a":1}\n{"a":2}\n')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  test.each([
    ['fails on a truncated JSON document', '{\n  "results": [\n'],
    ['fails on an empty file', ''],
    ['fails on a truncated one-line document', '{"results": [{"check_id":'],
    ['fails on JSON Lines with a broken line', '{"a":1}\n{"a":\n'],
  ])('%s', (_name, text) => {
    expect(() => parseJsonDocument(text, 'r.json')).toThrow(ReportError);
    expect(() => parseJsonDocument(text, 'r.json')).toThrow(/^r\.json: is not valid JSON/);
  });
});
