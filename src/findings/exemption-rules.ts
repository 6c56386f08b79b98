import { DEFAULT_MAX_EXEMPTION_DAYS, exceedsLifetime, expiryInstant, isoSeconds, parseIsoTime } from './dates';
import { Exemption } from './exemptions';
import { idProblem, identityKey } from './identity';
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
  /**
   * Security approvers; undefined when none were given: then no exemption applies. Compared by
   * identity key (NFKC, case folding, confusable skeleton): build it with `approverIndex`.
   */
  readonly approvers?: ReadonlySet<string>;
  /** When given, every exemption must carry a signature by its approver that verifies. */
  readonly trustedKeys?: TrustedKeys;
  /** Longest lifetime, approval to expiry, in days. @default 90 */
  readonly maxDays?: number;
  /** The pipeline the gate runs in: an exemption applies only when its `pipeline` names it. */
  readonly pipeline?: string;
}

/** An approval may carry a time this far ahead of the gate's clock (clock skew between machines). */
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * Decides, for each exemption, whether it applies. Fail closed: it does not apply when it is
 * expired, has no expiry, is unapproved, has no approval time, lives longer than the maximum
 * lifetime, has a date that is not a real calendar date, is approved by its own requester (compared
 * as a reader sees the names: Unicode NFKC, case folding and confusable skeleton), names a person
 * with an invisible or control character, is approved by someone not on the approvers list (or no
 * list was given), is out of the gate's pipeline scope, has unknown fields, matches nothing, or —
 * with trusted keys — is unsigned, edited after signing, or signed by a key not trusted for its
 * approver. An exemption with several problems lists them all; an expired one is reported as `expired`.
 */
export function decideExemptions(exemptions: readonly Exemption[], ctx: ExemptionContext): ExemptionDecision[] {
  const seen = new Set<string>();
  const approvers = ctx.approvers ? new Set([...ctx.approvers].map(identityKey)) : undefined;
  const maxDays = ctx.maxDays ?? DEFAULT_MAX_EXEMPTION_DAYS;
  return exemptions.map((e) => {
    const problems = [...e.problems];
    let expired = false;
    if (e.id.startsWith('#')) problems.push('has no id');
    else if (seen.has(e.id)) problems.push(`repeats id "${e.id}" (ids must be unique)`);
    seen.add(e.id);
    if (!e.fingerprint && !e.rule) problems.push('names no finding: give a fingerprint or a rule (rule id or CVE)');
    if (!e.reason) problems.push('has no reason');
    if (!e.requestedBy) problems.push('has no requestedBy');
    const requesterProblem = e.requestedBy ? idProblem(rawText(e, 'requestedBy'), 'requestedBy') : undefined;
    if (requesterProblem) problems.push(requesterProblem);
    const requestedAt = timeField(e, 'requestedAt', problems);
    let until: number | undefined;
    if (!e.expires) {
      problems.push('has no expiry: `expires` (ISO date) is required');
    } else {
      until = expiryInstant(e.expires);
      if (until === undefined) {
        problems.push(`expires "${e.expires}" is not a real ISO date (YYYY-MM-DD) or date-time with a time zone`);
      } else if (until <= ctx.now) {
        expired = true;
        problems.push(`expired on ${e.expires}`);
      }
    }
    if (!e.approvedBy) {
      problems.push('is not approved (no approvedBy)');
    } else {
      const approverProblem = idProblem(rawText(e, 'approvedBy'), 'approvedBy');
      if (approverProblem) problems.push(approverProblem);
      const approver = identityKey(e.approvedBy);
      if (e.requestedBy && !requesterProblem && !approverProblem && approver === identityKey(e.requestedBy)) {
        problems.push(`is approved by its own requester (${e.approvedBy} is ${e.requestedBy}): another person must approve`);
      }
      if (!approvers) problems.push(`approver ${e.approvedBy} cannot be checked: no security approvers were given (--approvers)`);
      else if (approverProblem || !approvers.has(approver)) problems.push(`approver ${e.approvedBy} is not a security approver (--approvers)`);
      const approvedAt = e.approvedAt !== undefined ? timeField(e, 'approvedAt', problems) : undefined;
      if (e.approvedAt === undefined) problems.push('has no approvedAt: the approval time starts its lifetime and is required');
      if (approvedAt !== undefined && approvedAt > ctx.now + CLOCK_SKEW_MS) problems.push(`approvedAt ${e.approvedAt} is in the future`);
      if (approvedAt !== undefined && requestedAt !== undefined && approvedAt < requestedAt) {
        problems.push(`approvedAt ${e.approvedAt} is before requestedAt ${e.requestedAt}`);
      }
      if (until !== undefined && e.expires) {
        const from = approvedAt ?? ctx.now;
        if (exceedsLifetime(e.expires, from, maxDays)) {
          const after = approvedAt !== undefined ? `approval (${e.approvedAt})` : `now (${isoSeconds(ctx.now)}; no valid approvedAt)`;
          problems.push(`expires ${e.expires} is more than ${maxDays} days after ${after}: an exemption may live at most ${maxDays} days (--max-exemption-days)`);
        }
      }
      if (ctx.trustedKeys) problems.push(...signatureProblems(e, ctx.trustedKeys));
    }
    if (e.pipelines && ctx.pipeline === undefined) {
      problems.push(`is scoped to pipeline ${e.pipelines.join(', ')} but the gate was not told its pipeline (--pipeline)`);
    } else if (ctx.pipeline !== undefined && !e.pipelines?.includes(ctx.pipeline)) {
      problems.push(e.pipelines
        ? `is out of scope: it is for pipeline ${e.pipelines.join(', ')}, not ${ctx.pipeline}`
        : `is out of scope: it names no pipeline, and this gate runs for pipeline ${ctx.pipeline} (add \`pipeline: ${ctx.pipeline}\` and approve again)`);
    }
    const state: ExemptionState = expired ? 'expired' : problems.length > 0 ? 'rejected' : 'valid';
    return { exemption: e, state, problems };
  });
}

/** A person field as written, before trimming (which would drop a leading U+FEFF). */
function rawText(e: Exemption, field: 'requestedBy' | 'approvedBy'): string {
  const v = e.raw[field];
  return typeof v === 'string' ? v : e[field] ?? '';
}

/** A date or date-time field that must be a real one when present; its instant. */
function timeField(e: Exemption, field: 'requestedAt' | 'approvedAt', problems: string[]): number | undefined {
  const text = e[field];
  if (text === undefined) return undefined;
  const t = parseIsoTime(text);
  if (!t) {
    problems.push(`${field} "${text}" is not a real ISO date (YYYY-MM-DD) or date-time with a time zone`);
    return undefined;
  }
  return t.start;
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
