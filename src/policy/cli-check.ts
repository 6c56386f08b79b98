import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PipelineDocument, PolicySeverity, PolicyWaiver } from '../core';
import { evaluatePolicy, PolicyReport, PolicyViolation } from './evaluate';
import { PolicyPack } from './pack';
import { pipelineDocumentProblems } from './schema';
import { Waivers } from './waiver';

/** Where `gatehouse policy check` reads and writes. */
export interface PolicyCheckIo {
  /** Reads a file as UTF-8 text (throws when it cannot). */
  readFile(path: string): string;
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
}

/** The process's files and streams. */
export const PROCESS_IO: PolicyCheckIo = {
  readFile: (path) => readFileSync(path, 'utf8'),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Usage of `gatehouse policy check`. */
export const POLICY_CHECK_USAGE = `usage: gatehouse policy check --policy PACK.yaml [--policy PACK.yaml ...] [--waivers WAIVERS.yaml] [--format text|json|sarif] [--today YYYY-MM-DD] DOC.json...

Checks pipeline documents (pipeline.json, written by every synth) against policy packs.
Exit 0: every document passes; 1: a violation (each printed with rule id, document and path);
2: bad input (an unreadable or invalid document, pack or waivers file, an unknown apiVersion,
CEL that does not compile or names an unknown field) — never a pass.
`;

const FORMATS = ['text', 'json', 'sarif'];

/**
 * `gatehouse policy check`: `args` are the arguments after `policy check`. Returns the exit code.
 */
export function runPolicyCheck(args: string[], io: PolicyCheckIo = PROCESS_IO): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (e) {
    io.stderr(`gatehouse policy check: ${(e as Error).message}\n\n${POLICY_CHECK_USAGE}`);
    return 2;
  }
  const { policies, waiverFiles, format, today, documents } = parsed;
  const problems: string[] = [];
  const packs: PolicyPack[] = [];
  for (const file of policies) {
    try {
      packs.push(PolicyPack.fromYaml(read(io, file, 'policy pack'), `policy pack ${file}`));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const names = new Set<string>();
  for (const p of packs) {
    if (names.has(p.packName)) problems.push(`two policy packs are named "${p.packName}": give every pack a unique metadata.name`);
    names.add(p.packName);
  }
  const waivers: PolicyWaiver[] = [];
  for (const file of waiverFiles) {
    try {
      waivers.push(...Waivers.fromYaml(read(io, file, 'waivers file'), `waivers file ${file}`));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const docs: Array<{ file: string; document: PipelineDocument }> = [];
  for (const file of documents) {
    try {
      docs.push({ file, document: readDocument(io, file) });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length > 0) {
    io.stderr(`gatehouse policy check: bad input (${problems.length} problem${problems.length === 1 ? '' : 's'}), nothing was checked:\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
    return 2;
  }
  let results: Array<{ file: string; report: PolicyReport }>;
  try {
    results = docs.map(({ file, document }) => ({ file, report: evaluatePolicy(document, packs, waivers, { today }) }));
  } catch (e) {
    io.stderr(`gatehouse policy check: ${(e as Error).message}\n`);
    return 2;
  }
  const passed = results.every((r) => r.report.passed);
  if (format === 'json') io.stdout(`${JSON.stringify({ apiVersion: 'gatehouse.dev/v1', kind: 'PolicyCheck', passed, documents: results.map(({ file, report }) => ({ file, ...report })) }, undefined, 2)}\n`);
  else if (format === 'sarif') io.stdout(`${JSON.stringify(sarif(packs, results), undefined, 2)}\n`);
  else io.stdout(textReport(results));
  return passed ? 0 : 1;
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      policy: { type: 'string', multiple: true },
      waivers: { type: 'string', multiple: true },
      format: { type: 'string' },
      today: { type: 'string' },
    },
  });
  const policies = values.policy ?? [];
  if (policies.length === 0) throw new Error('--policy is required: name at least one PolicyPack YAML');
  if (positionals.length === 0) throw new Error('no documents: name at least one pipeline document (pipeline.json)');
  const format = values.format ?? 'text';
  if (!FORMATS.includes(format)) throw new Error(`--format ${format} is not one of ${FORMATS.join(', ')}`);
  if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) throw new Error(`--today ${values.today} is not a date YYYY-MM-DD`);
  return { policies, waiverFiles: values.waivers ?? [], format, today: values.today, documents: positionals };
}

function read(io: PolicyCheckIo, file: string, what: string): string {
  try {
    return io.readFile(file);
  } catch (e) {
    throw new Error(`${what} ${file} cannot be read: ${(e as Error).message}`);
  }
}

function readDocument(io: PolicyCheckIo, file: string): PipelineDocument {
  const text = read(io, file, 'document');
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`document ${file} is not JSON: ${(e as Error).message}`);
  }
  let doc: PipelineDocument;
  try {
    doc = PipelineDocument.fromJson(json);
  } catch (e) {
    throw new Error(`document ${file}: ${(e as Error).message}`);
  }
  const problems = pipelineDocumentProblems(json);
  if (problems.length > 0) {
    throw new Error(`document ${file} does not match the pipeline document schema: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`);
  }
  return doc;
}

function textReport(results: Array<{ file: string; report: PolicyReport }>): string {
  const lines: string[] = [];
  const line = (file: string, v: PolicyViolation, level: string) =>
    `${file}: ${level} ${v.ruleId} (${v.pack}) at ${v.path}: ${v.detail ?? v.message}\n    fix: ${v.fix}`;
  for (const { file, report } of results) {
    for (const v of report.violations) lines.push(line(file, v, 'error'));
    for (const v of report.warnings) lines.push(line(file, v, 'warning'));
    for (const v of report.waived) lines.push(`${file}: waived ${v.ruleId} (${v.pack}) at ${v.path} by ${v.waiver!.approver} until ${v.waiver!.expires}`);
    lines.push(`${file}: ${report.passed ? 'PASS' : 'FAIL'} (pipeline ${report.pipeline}: ${report.violations.length} violation(s), ${report.warnings.length} warning(s), ${report.waived.length} waived)`);
  }
  const failed = results.filter((r) => !r.report.passed).length;
  lines.push(`${results.length - failed} passed, ${failed} failed`);
  return `${lines.join('\n')}\n`;
}

function sarif(packs: PolicyPack[], results: Array<{ file: string; report: PolicyReport }>): object {
  const rules = packs.flatMap((p) =>
    p.rules.map((r) => ({
      id: r.id,
      name: `${p.packName}/${r.id}`,
      shortDescription: { text: r.message },
      help: { text: r.fix },
      defaultConfiguration: { level: r.severity === PolicySeverity.ERROR ? 'error' : 'warning' },
      properties: { pack: p.packName },
    })),
  );
  const out: object[] = [];
  for (const { file, report } of results) {
    const add = (v: PolicyViolation, level: string, suppressed: boolean) =>
      out.push({
        ruleId: v.ruleId,
        level,
        message: { text: `${v.detail ?? v.message} (fix: ${v.fix})` },
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: file.replace(/\\/g, '/') } },
            logicalLocations: [{ fullyQualifiedName: v.path, kind: 'member' }],
          },
        ],
        properties: { pack: v.pack, pipeline: report.pipeline, documentPath: v.path },
        ...(suppressed
          ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${v.waiver!.reason} (approved by ${v.waiver!.approver} until ${v.waiver!.expires})` }] }
          : {}),
      });
    report.violations.forEach((v) => add(v, 'error', false));
    report.warnings.forEach((v) => add(v, 'warning', false));
    report.waived.forEach((v) => add(v, v.severity === PolicySeverity.ERROR ? 'error' : 'warning', true));
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'gatehouse-policy', informationUri: 'https://gatehouse.dev', rules } }, results: out }],
  };
}
