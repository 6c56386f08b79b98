import type { ReadStream } from 'node:fs';
import { billionLaughs, fixture, tempFile } from './iac-fixtures';
import { sniffXmlRoot } from '../../../src/findings/parsers/xml-detect';

describe('sniffXmlRoot', () => {
  test.each([
    ['openscap/arf-standard.xml', 'asset-report-collection', 'http://scap.nist.gov/schema/asset-reporting-format/1.1'],
    ['openscap/defectdojo/openscap_one_vuln_rhsa.xml', 'Benchmark', 'http://checklists.nist.gov/xccdf/1.1'],
    ['openscap/handmade/testresult-only.xml', 'TestResult', 'http://checklists.nist.gov/xccdf/1.2'],
    ['zap/defectdojo/zap_some_2.9.0.xml', 'OWASPZAPReport', ''],
  ])('reads the root of %s', async (name, root, uri) => {
    await expect(sniffXmlRoot(fixture(...name.split('/')))).resolves.toEqual({ name: root, uri });
  });

  test('reads a prefixed root with a byte order mark', async () => {
    const path = tempFile('bom.xml', '\uFEFF<?xml version="1.0"?>\n<!-- report -->\n<arf:asset-report-collection xmlns:arf="urn:x"/>');
    await expect(sniffXmlRoot(path)).resolves.toEqual({ name: 'asset-report-collection', uri: 'urn:x' });
  });

  test('stops reading after the root element', async () => {
    // GIVEN a 4 MB file whose root comes first
    const path = tempFile('big.xml', `<root xmlns="urn:big">${'<a>x</a>'.repeat(512 * 1024)}</root>`);
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const spy = jest.spyOn(fs, 'createReadStream');
    // WHEN
    const root = await sniffXmlRoot(path);
    // THEN
    expect(root).toEqual({ name: 'root', uri: 'urn:big' });
    const stream = spy.mock.results[0].value as ReadStream;
    expect(stream.bytesRead).toBeLessThan(256 * 1024);
    spy.mockRestore();
  });

  test.each([
    ['a JSON file', '{"results": []}'],
    ['an empty file', ''],
    ['a text file', 'hello world'],
    ['a binary file', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03])],
    ['a file declaring entities', billionLaughs('OWASPZAPReport')],
  ])('finds no root in %s', async (name, content) => {
    await expect(sniffXmlRoot(tempFile(`${name.replace(/\W+/g, '-')}.xml`, content))).resolves.toBeUndefined();
  });

  test('finds no root in a missing file', async () => {
    await expect(sniffXmlRoot(fixture('openscap', 'no-such-file.xml'))).resolves.toBeUndefined();
  });
});
