import { JsonParser, ParseContext, ParsedReport, RawFinding } from '../types';
import { DcDependency, DcVulnerability, dependencyFindings } from './dependency-check-finding';
import { isObject, JsonObject, Shape } from './deps-shape';
import { checkSection, Section } from './strict';

const FORMAT = 'dependency-check-json';

/**
 * OWASP Dependency-Check JSON report (`dependency-check --format JSON`, `dependency-check-report.json`,
 * `reportSchema` 1.1 since Dependency-Check 5): `{reportSchema, scanInfo{engineVersion, dataSource,
 * analysisExceptions?}, projectInfo, dependencies[{fileName, filePath, packages[{id (purl)}],
 * vulnerabilities[{source, name, severity, cvssv2{score}, cvssv3{baseScore}, cvssv4{baseScore}, cwes[],
 * description, references[{url}], vulnerableSoftware[{software{id, vulnerabilityIdMatched,
 * versionEndExcluding}}]}], suppressedVulnerabilities[…]}]}`. One finding per vulnerability of each
 * dependency (see dependency-check-finding.ts for severity and suppressions).
 */
const FIX = 'produce it with `dependency-check --format JSON` and give the report as written';

/** The report (`reportSchema` 1.1): the findings are the vulnerabilities of each dependency. */
const REPORT: Section = {
  required: { reportSchema: 'string', scanInfo: 'object', dependencies: 'array' },
  optional: { projectInfo: 'object' },
};
/** One dependency: `vulnerabilities`, and those a suppression file matched. */
const DEPENDENCY: Section = {
  required: { fileName: 'string' },
  optional: {
    filePath: 'string',
    isVirtual: 'boolean',
    md5: 'string',
    sha1: 'string',
    sha256: 'string',
    description: 'string',
    license: 'string',
    packages: ['array', 'null'],
    vulnerabilityIds: ['array', 'null'],
    suppressedVulnerabilityIds: ['array', 'null'],
    vulnerabilities: ['array', 'null'],
    suppressedVulnerabilities: ['array', 'null'],
    projectReferences: ['array', 'null'],
    includedBy: ['array', 'null'],
    relatedDependencies: ['array', 'null'],
    evidenceCollected: 'object',
  },
};

export const dependencyCheckJson: JsonParser = {
  type: 'json',
  id: FORMAT,
  detect(doc: unknown): boolean {
    return isObject(doc) && typeof doc.reportSchema === 'string' && isObject(doc.scanInfo) && 'dependencies' in doc;
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'dependency-check json', FIX);
    const o = shape.obj(doc, 'the document');
    checkSection(ctx.file, 'dependency-check json', 'the document', o, REPORT, FIX);
    shape.str(o.reportSchema, 'reportSchema');
    shape.obj(o.scanInfo, 'scanInfo');
    const findings: RawFinding[] = [];
    shape.arr(o.dependencies, 'dependencies').forEach((entry, i) => {
      const dep = shape.obj(entry, `dependencies[${i}]`);
      checkSection(ctx.file, 'dependency-check json', `dependencies[${i}]`, dep, DEPENDENCY, FIX);
      findings.push(...dependencyFindings(dependency(shape, dep, `dependencies[${i}]`)));
    });
    return { format: FORMAT, tool: 'dependency-check', findings };
  },
};

function dependency(shape: Shape, d: JsonObject, p: string): DcDependency {
  const purls: string[] = [];
  shape.optArr(d.packages, p, 'packages').forEach((pkg, i) => purls.push(shape.str(shape.obj(pkg, `${p}.packages[${i}]`).id, `${p}.packages[${i}]`, 'id')));
  return {
    fileName: shape.str(d.fileName, p, 'fileName'),
    filePath: shape.optStr(d.filePath, p, 'filePath'),
    purls,
    mavenIds: [],
    vulnerabilities: shape.optArr(d.vulnerabilities, p, 'vulnerabilities').map((v, i) => vulnerability(shape, v, `${p}.vulnerabilities[${i}]`)),
    suppressed: shape.optArr(d.suppressedVulnerabilities, p, 'suppressedVulnerabilities').map((v, i) => vulnerability(shape, v, `${p}.suppressedVulnerabilities[${i}]`)),
  };
}

function vulnerability(shape: Shape, value: unknown, p: string): DcVulnerability {
  const v = shape.obj(value, p);
  const score = (key: string, field: string): number | undefined => {
    const cvss = shape.optObj(v[key], p, key);
    const n = cvss ? shape.optNum(cvss[field], p, `${key}.${field}`) : undefined;
    if (n !== undefined && (n < 0 || n > 10)) shape.fail(p, `must be a CVSS score from 0 to 10, got ${n}`, `${key}.${field}`);
    return n;
  };
  let fixVersion: string | undefined;
  shape.optArr(v.vulnerableSoftware, p, 'vulnerableSoftware').forEach((entry, i) => {
    const sp = `${p}.vulnerableSoftware[${i}]`;
    const software = shape.obj(shape.obj(entry, sp).software, sp, 'software');
    const matched = software.vulnerabilityIdMatched;
    if ((matched === true || matched === 'true') && fixVersion === undefined) fixVersion = shape.optStr(software.versionEndExcluding, sp, 'software.versionEndExcluding');
  });
  return {
    name: shape.str(v.name, p, 'name'),
    source: shape.optStr(v.source, p, 'source'),
    severity: shape.optStr(v.severity, p, 'severity'),
    cvss2: score('cvssv2', 'score'),
    cvss3: score('cvssv3', 'baseScore'),
    cvss4: score('cvssv4', 'baseScore'),
    cwes: shape.strList(v.cwes, p, 'cwes'),
    description: shape.optStr(v.description, p, 'description'),
    references: shape.optArr(v.references, p, 'references').flatMap((ref, i) => {
      const url = shape.optStr(shape.obj(ref, `${p}.references[${i}]`).url, `${p}.references[${i}]`, 'url');
      return url ? [url] : [];
    }),
    fixVersion,
  };
}
