import { JsonParser, ParseContext, ParsedReport } from '../types';
import { Shape, isObject } from './deps-shape';
import { checkSection, Section } from './strict';

const FIX = 'produce it with `syft <target> -o json`';

/**
 * syft's native JSON (`{artifacts[], artifactRelationships[], source, distro, descriptor, schema}`):
 * an SBOM, valid input with zero findings; `components` is the number of artifacts (packages).
 */
/** syft's own JSON (its `model.Document`), current and earlier schema versions. */
const DOCUMENT: Section = {
  required: { artifacts: 'array' },
  optional: {
    artifactRelationships: ['array', 'null'], files: ['array', 'null'], source: 'object', distro: 'object', descriptor: 'object', schema: 'object',
  },
  tolerated: ['secrets', 'fileClassifications', 'fileContents', 'fileMetadata'],
};

export const syftJson: JsonParser = {
  type: 'json',
  id: 'syft-json',
  detect(doc: unknown): boolean {
    if (!isObject(doc) || !Array.isArray(doc.artifacts)) return false;
    const byDescriptor = isObject(doc.descriptor) && doc.descriptor.name === 'syft';
    const bySchema = isObject(doc.schema) && typeof doc.schema.url === 'string' && doc.schema.url.includes('anchore/syft');
    return byDescriptor || bySchema;
  },
  parse(doc: unknown, ctx: ParseContext): ParsedReport {
    const shape = new Shape(ctx.file, 'syft json', FIX);
    const o = shape.obj(doc, 'the document');
    checkSection(ctx.file, 'syft json', 'the document', o, DOCUMENT, FIX);
    const artifacts = shape.arr(o.artifacts, 'artifacts');
    artifacts.forEach((a, i) => shape.str(shape.obj(a, `artifacts[${i}]`).name, `artifacts[${i}].name`));
    return { format: 'syft-json', tool: 'syft', findings: [], components: artifacts.length };
  },
};
