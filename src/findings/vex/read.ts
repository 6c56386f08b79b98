import { describeJson } from '../detect';
import { parseJsonText, readHead, readJsonText } from '../read';
import { ReportError } from '../types';
import { isCycloneDxVex, readCycloneDxVex } from './cyclonedx';
import { isOpenVex, readOpenVex } from './openvex';
import { VexRule } from './statement';

/** Reads a VEX document (OpenVEX or CycloneDX VEX), detected by content. */
export function readVexFile(file: string, warnings: string[], order = 0): VexRule[] {
  const head = readHead(file);
  if (head.kind !== 'json') throw new ReportError(file, 'is not a VEX document: expected OpenVEX or CycloneDX JSON');
  const doc = parseJsonText(file, readJsonText(file, head));
  if (isOpenVex(doc)) return readOpenVex(file, doc, warnings, order);
  if (isCycloneDxVex(doc)) return readCycloneDxVex(file, doc, order);
  throw new ReportError(file, `is not a VEX document: expected OpenVEX (@context https://openvex.dev/ns/…) or CycloneDX with vulnerabilities (${describeJson(doc)})`);
}
