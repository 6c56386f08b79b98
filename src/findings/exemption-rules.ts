import { personId } from './approvers';
import { Exemption, expiryInstant } from './exemptions';
import { verifyExemption } from './signing';
import { keysFor, TrustedKeys } from './trusted-keys';

/** Whether an exemption applies, and why not. */
export type ExemptionState = 'valid' | 'expired' | 'rejected';

/** The decision on one exemption. */
export interface ExemptionDecision {
  readonly exemption: Exemption;
  readonly state: ExemptionState;
  /** Why it does not apply (empty when valid). */
  readonly problems: string[];
}

/** What exemptions are checked against. */
export interface ExemptionContext {
  /** Now, in ms since the epoch. */
  readonly now: number;
  /** Security approvers (lowercase ids); undefined when none were given: then no exemption applies. */
  readonly approvers?: ReadonlySet<string>;
  /** When given, every exemption must carry a signature by its approver that verifies. */
  readonly trustedKeys?: TrustedKeys;
}

/**
 * Decides, for each exemption, whether it applies. Fail closed: it does not apply when it is
 * expired, has no expiry, is unapproved, approved by its own requester, approved by someone not on
 * the approvers list (or no list was given), has unknown fields, matches nothing, or — with trusted
 * keys — is unsigned, edited after signing, or signed by a key not trusted for its approver.
 * An exemption with several problems lists them all; an expired one is reported as `expired`.
 */
export function decideExemptions(exemptions: readonly Exemption[], ctx: ExemptionContext): ExemptionDecision[] {
  const seen = new Set<string>();
  return exemptions.map((e) => {
    const problems = [...e.problems];
    let expired = false;
    if (e.id.startsWith('#')) problems.push('has no id');
    else if (seen.has(e.id)) problems.push(`repeats id "${e.id}" (ids must be unique)`);
    seen.add(e.id);
    if (!e.fingerprint && !e.rule) problems.push('names no finding: give a fingerprint or a rule (rule id or CVE)');
    if (!e.reason) problems.push('has no reason');
    if (!e.requestedBy) problems.push('has no requestedBy');
    if (!e.expires) {
      problems.push('has no expiry: `expires` (ISO date) is required');
    } else {
      const until = expiryInstant(e.expires);
      if (until === undefined) {problems.push(`expires "${e.expires}" is not an ISO date (YYYY-MM-DD) or date-time with a time zone`);} else if (until <= ctx.now) {
        expired = true;
        problems.push(`expired on ${e.expires}`);
      }
    }
    if (!e.approvedBy) {
      problems.push('is not approved (no approvedBy)');
    } else {
      const approver = personId(e.approvedBy);
      if (e.requestedBy && approver === personId(e.requestedBy)) {
        problems.push(`is approved by its own requester (${e.approvedBy}): another person must approve`);
      }
      if (!ctx.approvers) problems.push(`approver ${e.approvedBy} cannot be checked: no security approvers were given (--approvers)`);
      else if (!ctx.approvers.has(approver)) problems.push(`approver ${e.approvedBy} is not a security approver (--approvers)`);
      if (ctx.trustedKeys) problems.push(...signatureProblems(e, ctx.trustedKeys));
    }
    const state: ExemptionState = expired ? 'expired' : problems.length > 0 ? 'rejected' : 'valid';
    return { exemption: e, state, problems };
  });
}

function signatureProblems(e: Exemption, trusted: TrustedKeys): string[] {
  if (!e.signature) return ['is not signed: trusted keys are required (--trusted-keys), so an exemption must carry its approver\'s signature'];
  const keys = keysFor(trusted, e.approvedBy!);
  if (keys.length === 0) return [`has no trusted key for approver ${e.approvedBy} in ${trusted.file}`];
  if (!verifyExemption(e.raw, e.signature, keys)) {
    return [`signature does not verify with the trusted key of ${e.approvedBy}: edited after signing, or signed by another key`];
  }
  return [];
}
