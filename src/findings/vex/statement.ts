import { VexStatement } from '../types';
import { PackageRef } from './purl';

/** A VEX statement as the gate uses it: every id it names, parsed products, and when it was made. */
export interface VexRule extends VexStatement {
  /** The vulnerability id and its aliases, uppercase. */
  readonly ids: readonly string[];
  /** Parsed products; empty: every product. Products that are not package URLs are kept unparsed. */
  readonly packages: readonly PackageRef[];
  /** Products given that are not package URLs (they cannot match a package finding). */
  readonly otherProducts: readonly string[];
  /** Milliseconds since the epoch; the latest matching statement decides. */
  readonly time: number;
  /** Order in the input, for ties. */
  readonly order: number;
}

/** Statuses both VEX formats map to (OpenVEX vocabulary). */
export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;

export function timeOf(text: unknown): number {
  if (typeof text !== 'string') return 0;
  const t = Date.parse(text);
  return Number.isNaN(t) ? 0 : t;
}
