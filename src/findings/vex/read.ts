import { describeJson } from '../detect';
import { parseJsonText } from '../read';
import { decodeJsonBytes, readInputBytes } from '../signed-input';
import { ReportError } from '../types';
import { isCycloneDxVex, readCycloneDxVex } from './cyclonedx';
import { isOpenVex, readOpenVex } from './openvex';
import { VexRule } from './statement';

/** Reads a VEX document (OpenVEX or CycloneDX VEX), detected by content. */
export function readVexFile(file: string, warnings: string[], order = 0): VexRule[] {
  return readVexBytes(file, readInputBytes(file, 'VEX document'), warnings, order);
}

/** Reads a VEX document from bytes already read (the bytes whose signature was checked). */
export function readVexBytes(file: string, bytes: Buffer, warnings: string[], order = 0): VexRule[] {
  const text = decodeJsonBytes(file, bytes, 'VEX document');
  const first = text.replace(/^\uFEFF/, '').trimStart().charAt(0);
  if (first === '') throw new ReportError(file, 'is empty (whitespace only): expected an OpenVEX or CycloneDX VEX document');
  if (first !== '{' && first !== '[') throw new ReportError(file, 'is not a VEX document: expected OpenVEX or CycloneDX JSON');
  const doc = parseJsonText(file, text.replace(/^\uFEFF/, ''));
  if (isOpenVex(doc)) return readOpenVex(file, doc, warnings, order);
  if (isCycloneDxVex(doc)) return readCycloneDxVex(file, doc, order);
  throw new ReportError(file, `is not a VEX document: expected OpenVEX (@context https://openvex.dev/ns/…) or CycloneDX with vulnerabilities (${describeJson(doc)})`);
}
