import * as fs from 'fs';
import * as path from 'path';
import { ENTRIES } from './entries';
import { CommandStep, GatePolicy, GateSeverity, Pipeline, ScanCategory, Source, Stage } from '../../src/core';
import * as security from '../../src/security';
import { CatalogScan, DigestProvenance, ScannerImage } from '../../src/security';

const DOC = fs.readFileSync(path.join(__dirname, '../../docs/security-steps.md'), 'utf8');
const PINNED = /^[a-z0-9.\/:_-]+:[A-Za-z0-9_.-]+@sha256:[a-f0-9]{64}$/;

/** Rows of the doc's catalog table: first cell `` `Class` ``, then the other cells. */
function catalogRows(): Map<string, string[]> {
  const section = DOC.slice(DOC.indexOf('## Catalog'), DOC.indexOf('### Gate defaults'));
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const m = /^\| `([A-Za-z]+)` \|(.*)\|$/.exec(line);
    if (m) rows.set(m[1], m[2].split(' | ').map((c) => c.trim()));
  }
  return rows;
}

/** Exported classes of the submodule that are catalog entries. */
function exportedEntries(): string[] {
  return Object.entries(security)
    .filter(([, v]) => typeof v === 'function' && v.prototype instanceof CatalogScan)
    .map(([k]) => k)
    .sort();
}

const EXPECTED_FAIL_ON: Partial<Record<ScanCategory, GateSeverity>> = {
  [ScanCategory.SAST]: GateSeverity.HIGH,
  [ScanCategory.SCA]: GateSeverity.HIGH,
  [ScanCategory.IMAGE]: GateSeverity.HIGH,
  [ScanCategory.IAC]: GateSeverity.HIGH,
  [ScanCategory.DAST]: GateSeverity.HIGH,
  [ScanCategory.SECRETS]: GateSeverity.LOW,
  [ScanCategory.POLICY]: GateSeverity.LOW,
  [ScanCategory.COMPLIANCE]: GateSeverity.MEDIUM,
};

describe('the catalog as a whole', () => {
  test('every exported entry class is in the test table, and every table entry is exported', () => {
    expect(ENTRIES.map((e) => e.className).sort()).toEqual(exportedEntries());
  });

  test('docs/security-steps.md has one catalog row per exported entry, and no other', () => {
    expect([...catalogRows().keys()].sort()).toEqual(exportedEntries());
  });

  test('each doc row names the entry\'s category, its ScannerImage constant and its gate default', () => {
    const rows = catalogRows();
    for (const e of ENTRIES) {
      const step = e.make();
      const [category, image, , report, , , gate] = rows.get(e.className)!;
      expect(category).toBe(step.category);
      const constant = Object.entries(ScannerImage).find(([, v]) => v === step.scannerImage)![0];
      expect(image).toContain(`ScannerImage.${constant}`);
      expect(report).toContain(path.basename(step.reportFile));
      if (step.gate) expect(gate.toLowerCase()).toContain(`failon ${step.gate.failOn}`);
      else expect(gate).toMatch(/^not gated/);
      if (!step.scannerImage.pinned) expect(image).toContain('**not pinned**');
      if (step.scannerImage.provenance === DigestProvenance.UNVERIFIED) expect(image).toContain('digest unverified');
    }
  });

  test('the doc\'s image table lists every ScannerImage constant with its exact reference and provenance', () => {
    const images = Object.entries(ScannerImage).filter(([, v]) => v instanceof ScannerImage) as Array<[string, ScannerImage]>;
    expect(images.length).toBeGreaterThanOrEqual(16);
    for (const [name, img] of images) {
      const row = DOC.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row).toBeDefined();
      expect(row).toContain(`\`${img.reference}\``);
      expect(row).toContain(`| ${img.provenance} |`);
    }
  });

  test('catalog images are pinned by digest unless no digest was found, and say where the digest comes from', () => {
    for (const img of Object.values(ScannerImage).filter((v) => v instanceof ScannerImage) as ScannerImage[]) {
      expect(img.source.length).toBeGreaterThan(10);
      if (img.provenance === DigestProvenance.NONE) {
        expect(img.pinned).toBe(false);
        expect(img.digestVerified).toBe(false);
        expect(img.reference).not.toContain('@');
      } else {
        expect(img.reference).toMatch(PINNED);
        expect(img.digestVerified).toBe(img.provenance !== DigestProvenance.UNVERIFIED);
      }
    }
  });
});

describe.each(ENTRIES)('$className', (e) => {
  test('has its default name, category, image and an unprivileged, non-allow-failure step', () => {
    const step = e.make();
    expect(step.name).toBe(e.defaultName);
    expect(step.category).toBe(e.category);
    expect(step.kind).toBe('scan');
    expect(step.image).toBe(step.scannerImage.reference);
    if (step.scannerImage.pinned) expect(step.image).toMatch(PINNED);
    else expect(step.scannerImage.provenance).toBe(DigestProvenance.NONE);
    expect(step.privileged).toBe(false);
    expect(step.allowFailure).toBe(false);
  });

  test('keeps its report under .gatehouse/reports/<name>/ and hands it to the gate', () => {
    const step = e.make();
    expect(step.reportFile.startsWith(`.gatehouse/reports/${e.defaultName}/`)).toBe(true);
    expect(step.findingsReports).toEqual([step.reportFile]);
    expect(step.reports.flatMap((r) => r.paths)).toContain(step.reportFile);
    expect(step.reports.find((r) => r.paths.includes(step.reportFile))!.format).toBe(step.reportFormat);
    expect(step.commands[0]).toBe(`mkdir -p '.gatehouse/reports/${e.defaultName}'`);
    expect(step.commands.join('\n')).toContain(step.reportFile);
  });

  test('has the documented gate default', () => {
    const step = e.make();
    if (e.gatedByDefault) {
      expect(step.gate).toBeInstanceOf(GatePolicy);
      expect(step.gate!.failOn).toBe(EXPECTED_FAIL_ON[e.category]);
      expect(step.gate!.unknownAs).toBe(GateSeverity.HIGH);
      expect(step.gate!.gateArgs(step.findingsReports, 'out')).toContain(step.reportFile);
    } else {
      expect(step.gate).toBeUndefined();
    }
  });

  test('takes a name, an image, a gate and run settings from its options', () => {
    const image = ScannerImage.of('registry.example.com/tools/custom', '1.0', `sha256:${'b'.repeat(64)}`);
    const gate = new GatePolicy({ failOn: GateSeverity.CRITICAL });
    const step = e.make({ name: 'custom-scan', image, gate, runAfter: ['build'], timeoutMinutes: 15, env: { HTTPS_PROXY: 'http://proxy:3128' } });
    expect(step.name).toBe('custom-scan');
    expect(step.image).toBe(`registry.example.com/tools/custom:1.0@sha256:${'b'.repeat(64)}`);
    expect(step.gate).toBe(gate);
    expect(step.runAfter).toEqual(['build']);
    expect(step.timeoutMinutes).toBe(15);
    expect(step.env.HTTPS_PROXY).toBe('http://proxy:3128');
    expect(step.reportFile.startsWith('.gatehouse/reports/custom-scan/')).toBe(true);
    expect(step.findingsReports).toEqual([step.reportFile]);
  });

  test('passes extra arguments as single quoted words', () => {
    const step = e.make({ extraArgs: ['--flag', 'a b; rm -rf /'] });
    expect(step.commands.join('\n')).toContain(' \'--flag\' \'a b; rm -rf /\'');
  });

  test('fails on a name engines cannot use', () => {
    expect(() => e.make({ name: 'Not_A_Label' })).toThrow(/is not a DNS-1123 label/);
  });

  test('fails on extra arguments that span lines', () => {
    expect(() => e.make({ extraArgs: ['--ok', 'two\nlines'] })).toThrow(/extraArgs entry .* spans lines/);
  });

  test('fails on an image that is not a ScannerImage', () => {
    expect(() => e.make({ image: 'alpine:latest' as unknown as ScannerImage })).toThrow(/image must be a ScannerImage/);
  });
});

describe('catalog entries in a pipeline', () => {
  test('a security stage holding every entry (default names) validates', () => {
    const pipeline = new Pipeline({
      name: 'catalog',
      source: Source.gitHub({ owner: 'acme', repository: 'app' }),
      stages: [
        Stage.buildStage('build', { steps: [new CommandStep({ name: 'build', commands: ['make'] })] }),
        Stage.securityStage('security', { steps: ENTRIES.map((e) => e.make()) }),
      ],
    });
    expect(pipeline.validate()).toEqual([]);
  });
});
