import { JsonParser, ParseContext, ParsedReport } from '../types';
import { Shape, isObject } from './deps-shape';
import { checkSection, Section } from './strict';

const FIX = 'produce an SPDX 2.x JSON document (e.g. `syft <target> -o spdx-json`)';

/**
 * SPDX 2.x JSON (`{spdxVersion: "SPDX-2.3", SPDXID, packages[], relationships[]}`): an SBOM, valid
 * input with zero findings; `components` is the number of packages.
 */
/** An SPDX 2.x document: the properties of its JSON schema (2.2, 2.3). */
const DOCUMENT: Section = {
  required: { spdxVersion: 'string', SPDXID: 'string' },
  optional: {
    $schema: 'string',
    name: 'string',
    dataLicense: 'string',
    documentNamespace: 'string',
    comment: 'string',
    creationInfo: 'object',
    packages: ['array', 'null'],
    files: ['array', 'null'],
    snippets: ['array', 'null'],
    relationships: ['array', 'null'],
    annotations: ['array', 'null'],
    externalDocumentRefs: ['array', 'null'],
    hasExtractedLicensingInfos: ['array', 'null'],
    documentDescribes: ['array', 'null'],
    revieweds: ['array', 'null'],
  },
};

export const spdxJson: JsonParser = {
  type: 'json',
  id: 'spdx-json',
  detect(doc: unknown): boolean {
    return isObject(doc) && typeof doc.spdxVersion === 'string' && doc.spdxVersion.startsWith('SPDX-');
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'spdx json', FIX);
    const o = shape.obj(doc, 'the document');
    checkSection(ctx.file, 'spdx json', 'the document', o, DOCUMENT, FIX);
    shape.str(o.SPDXID, 'SPDXID');
    const packages = shape.optArr(o.packages, 'packages');
    packages.forEach((p, i) => shape.str(shape.obj(p, `packages[${i}]`).SPDXID, `packages[${i}].SPDXID`));
    return { format: 'spdx-json', tool: creator(o.creationInfo) ?? 'spdx', findings: [], components: packages.length };
  },
};

/** `creationInfo.creators` holds entries like `Tool: syft-1.0.0`: the first tool's name, lowercase. */
function creator(info: unknown): string | undefined {
  if (!isObject(info) || !Array.isArray(info.creators)) return undefined;
  for (const c of info.creators) {
    const m = typeof c === 'string' ? /^Tool:\s*(.+?)(?:-v?\d[\w.+-]*)?\s*$/.exec(c) : null;
    if (m) return m[1].toLowerCase();
  }
  return undefined;
}
