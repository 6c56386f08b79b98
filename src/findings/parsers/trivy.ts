import { JsonParser, ParseContext, ParsedReport, RawFinding } from '../types';
import { JsonObject, Shape, isObject } from './deps-shape';
import { trivyResultFindings } from './deps-trivy-result';

const FIX = 'produce it with `trivy <image|fs|config|k8s> --format json`';

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
      doc.forEach((r, i) => findings.push(...trivyResultFindings(r, `[${i}]`, {}, shape)));
    } else {
      const o = shape.obj(doc, 'the document');
      if ('ClusterName' in o && !('SchemaVersion' in o)) {
        findings.push(...kubernetes(o, shape));
      } else {
        const artifact = shape.optStr(o.ArtifactName, 'ArtifactName');
        shape.optArr(o.Results, 'Results').forEach((r, i) => findings.push(...trivyResultFindings(r, `Results[${i}]`, { artifact }, shape)));
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

function kubernetes(o: JsonObject, shape: Shape): RawFinding[] {
  const out: RawFinding[] = [];
  for (const key of ['Resources', 'Vulnerabilities', 'Misconfigurations']) {
    shape.optArr(o[key], key).forEach((res, i) => {
      const p = `${key}[${i}]`;
      const r = shape.obj(res, p);
      const kind = shape.str(r.Kind, p, 'Kind');
      const name = shape.str(r.Name, p, 'Name');
      const namespace = shape.optStr(r.Namespace, p, 'Namespace');
      const resource = namespace ? `${namespace}/${kind}/${name}` : `${kind}/${name}`;
      const error = shape.optStr(r.Error, p, 'Error');
      // A resource trivy could not scan is not a clean one: it becomes a finding of unknown
      // severity (counted as high unless configured), visible and exemptable like any other.
      if (error) out.push(scanError(resource, error));
      shape.optArr(r.Results, p, 'Results').forEach((result, j) => {
        out.push(...trivyResultFindings(result, `${p}.Results[${j}]`, { resource }, shape));
      });
    });
  }
  return out;
}
