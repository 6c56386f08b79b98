import { JsonParser, ParseContext, ParsedReport } from '../types';
import { Shape, isObject } from './deps-shape';

const FIX = 'produce it with `syft <target> -o json`';

/**
 * syft's native JSON (`{artifacts[], artifactRelationships[], source, distro, descriptor, schema}`):
 * an SBOM, valid input with zero findings; `components` is the number of artifacts (packages).
 */
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
    const artifacts = shape.arr(o.artifacts, 'artifacts');
    artifacts.forEach((a, i) => shape.str(shape.obj(a, `artifacts[${i}]`).name, `artifacts[${i}].name`));
    return { format: 'syft-json', tool: 'syft', findings: [], components: artifacts.length };
  },
};
