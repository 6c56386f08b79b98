import { RawFinding } from '../types';

/**
 * The sentence a finding carries when the scanner reported it as suppressed by something the scanned
 * repository controls (a comment, an ignore file, a policy file, a VEX document of the repository):
 * such a result is a finding like the others, and only an approved exemption accepts it.
 * @param how what suppressed it, e.g. `a checkov:skip comment`
 */
export function suppressedNote(how: string): string {
  return `suppressed in the repository (${how}), which the gate does not honour: request an exemption instead`;
}

/** Appends `note` to the finding's description (a line of its own) and returns the finding. */
export function withNote<F extends RawFinding>(finding: F, note: string | undefined): F {
  if (note === undefined) return finding;
  finding.description = finding.description ? `${finding.description}\n${note}` : note;
  return finding;
}
