import { JsonParser, ParseContext, ParsedReport, RawFinding } from '../types';
import { JsonObject, Shape, isObject } from './deps-shape';
import { TRIVY_RESULT, trivyResultFindings } from './deps-trivy-result';
import { checkSection, Section } from './strict';
import { trivyModifiedFindings } from './trivy-modified';

const FIX = 'produce it with `trivy <image|fs|config|k8s> --format json`';

/**
 * What a trivy report must contain (trivy's `types.Report`). `Results` is required: a report
 * without it cannot be told apart from one whose results were removed (trivy writes `Results: []`
 * or results without vulnerabilities when it scanned packages and found none).
 */
const REPORT: Section = {
  required: { SchemaVersion: 'number', Results: 'array' },
  optional: { CreatedAt: 'string', ArtifactName: 'string', ArtifactType: 'string', Metadata: 'object' },
  tolerated: ['Trivy', 'ReportID', 'ArtifactID'],
};

/** `trivy k8s` report: `Resources` (current) or `Vulnerabilities`/`Misconfigurations` (older). */
const CLUSTER: Section = {
  required: { ClusterName: 'string' },
  optional: { Resources: ['array', 'null'], Vulnerabilities: ['array', 'null'], Misconfigurations: ['array', 'null'] },
};

/** One Kubernetes resource of a `trivy k8s` report. */
const RESOURCE: Section = {
  required: { Kind: 'string', Name: 'string' },
  optional: { Namespace: 'string', Results: ['array', 'null'], Error: 'string', Metadata: ['object', 'array', 'null'] },
};

/**
 * trivy JSON: vulnerabilities, misconfigurations, secrets and licenses, in the three shapes trivy
 * has written:
 * - current (`SchemaVersion` 2): `{SchemaVersion, ArtifactName, ArtifactType, Results[]}` for image,
 *   filesystem, repository and config scans;
 * - legacy (before `SchemaVersion`, trivy < 0.20): a top-level array of `{Target, Type, Vulnerabilities}`;
 * - Kubernetes (`trivy k8s --report all`): `{ClusterName, Resources[]}`, or in older releases
 *   `{ClusterName, Vulnerabilities[], Misconfigurations[]}`, each resource `{Namespace, Kind, Name, Results[]}`.
 */
export const trivyJson: JsonParser = {
  type: 'json',
  id: 'trivy-json',
  detect(doc: unknown): boolean {
    if (Array.isArray(doc)) return isLegacy(doc);
    if (!isObject(doc)) return false;
    if (typeof doc.SchemaVersion === 'number') return 'Results' in doc || 'ArtifactName' in doc || 'ArtifactType' in doc;
    return (
      typeof doc.ClusterName === 'string' &&
      (Array.isArray(doc.Resources) || Array.isArray(doc.Vulnerabilities) || Array.isArray(doc.Misconfigurations))
    );
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'trivy json', FIX);
    const findings: RawFinding[] = [];
    if (Array.isArray(doc)) {
      doc.forEach((r, i) => {
        checkSection(ctx.file, 'trivy json', `[${i}]`, shape.obj(r, `[${i}]`), TRIVY_RESULT, FIX);
        trivyResultFindings(r, `[${i}]`, {}, shape, findings);
        for (const f of trivyModifiedFindings(ctx.file, r, `[${i}]`, {}, shape, FIX)) findings.push(f);
      });
    } else {
      const o = shape.obj(doc, 'the document');
      if ('ClusterName' in o && !('SchemaVersion' in o)) {
        checkSection(ctx.file, 'trivy json', 'the document', o, CLUSTER, FIX);
        kubernetes(o, shape, ctx.file, findings);
      } else {
        checkSection(ctx.file, 'trivy json', 'the document', o, REPORT, FIX);
        const artifact = shape.optStr(o.ArtifactName, 'ArtifactName');
        shape.optArr(o.Results, 'Results').forEach((r, i) => {
          checkSection(ctx.file, 'trivy json', `Results[${i}]`, shape.obj(r, `Results[${i}]`), TRIVY_RESULT, FIX);
          trivyResultFindings(r, `Results[${i}]`, { artifact }, shape, findings);
          for (const f of trivyModifiedFindings(ctx.file, r, `Results[${i}]`, { artifact }, shape, FIX)) findings.push(f);
        });
      }
    }
    return { format: 'trivy-json', tool: 'trivy', findings };
  },
};

/** A legacy report: an array of results, each with a string `Target` and trivy's capitalized keys. */
function isLegacy(doc: unknown[]): boolean {
  return (
    doc.length > 0 &&
    doc.every((r) => isObject(r) && typeof r.Target === 'string' && ('Vulnerabilities' in r || 'Type' in r || 'Misconfigurations' in r))
  );
}

function scanError(resource: string, error: string): RawFinding {
  return {
    tool: 'trivy',
    kind: 'other',
    ruleId: 'trivy-k8s-scan-error',
    title: `trivy could not scan ${resource}`,
    severity: 'unknown',
    description: error,
    location: { file: resource },
  };
}

function kubernetes(o: JsonObject, shape: Shape, file: string, out: RawFinding[]): void {
  for (const key of ['Resources', 'Vulnerabilities', 'Misconfigurations']) {
    shape.optArr(o[key], key).forEach((res, i) => {
      const p = `${key}[${i}]`;
      const r = shape.obj(res, p);
      checkSection(file, 'trivy json', p, r, RESOURCE, FIX);
      const kind = shape.str(r.Kind, p, 'Kind');
      const name = shape.str(r.Name, p, 'Name');
      const namespace = shape.optStr(r.Namespace, p, 'Namespace');
      const resource = namespace ? `${namespace}/${kind}/${name}` : `${kind}/${name}`;
      const error = shape.optStr(r.Error, p, 'Error');
      // A resource trivy could not scan is not a clean one: it becomes a finding of unknown
      // severity (counted as high unless configured), visible and exemptable like any other.
      if (error) out.push(scanError(resource, error));
      shape.optArr(r.Results, p, 'Results').forEach((result, j) => {
        const rp = `${p}.Results[${j}]`;
        checkSection(file, 'trivy json', rp, shape.obj(result, rp), TRIVY_RESULT, FIX);
        trivyResultFindings(result, rp, { resource }, shape, out);
        for (const f of trivyModifiedFindings(file, result, rp, { resource }, shape, FIX)) out.push(f);
      });
    });
  }
}
