import type { PipelineDocument } from './document';

/** Severity of a policy rule. */
export enum PolicySeverity {
  /** A violation refuses the pipeline. */
  ERROR = 'error',
  /** A violation is printed and recorded; the pipeline goes on. */
  WARNING = 'warning',
}

/** One place in a pipeline document where a rule is not met. */
export interface PolicyViolationLocation {
  /** JSON pointer into the document, e.g. `/pipeline/stages/2/steps/0/gate/failOn`. */
  readonly path: string;
  /**
   * What is wrong there, when the rule says more than its message.
   * @default - the rule's message
   */
  readonly detail?: string;
}

/** What one rule of a pack found in a document. */
export interface PolicyRuleOutcome {
  /** Rule id. */
  readonly ruleId: string;
  /** Rule severity. */
  readonly severity: PolicySeverity;
  /** What the rule requires. */
  readonly message: string;
  /** How to comply. */
  readonly fix: string;
  /** Where the document breaks the rule; empty when it complies. */
  readonly violations: PolicyViolationLocation[];
}

/**
 * A set of policy rules over the pipeline document. Engines evaluate the packs attached to a
 * pipeline before rendering it (implemented by `policy.PolicyPack`).
 */
export interface IPolicyPack {
  /** Pack name (metadata.name). */
  readonly packName: string;
  /** Evaluates every rule of the pack over a document. */
  evaluateDocument(document: PipelineDocument): PolicyRuleOutcome[];
}

/**
 * An approved, expiring exception to one rule of one pack, for one part of the document. It
 * applies only when it is signed (ed25519, over its canonical JSON without `signature`) by a key
 * the pack trusts for its approver.
 */
export interface PolicyWaiver {
  /**
   * Name of the pipeline the waiver is for (a waivers file checked over many pipelines applies
   * it to this one only).
   * @default - the pipeline it is attached to or checked with
   */
  readonly pipeline?: string;
  /** Name of the pack whose rule is waived. */
  readonly pack: string;
  /** Rule id. */
  readonly ruleId: string;
  /** Document path prefix the waiver covers (a JSON pointer, e.g. `/pipeline/stages/3/steps/0`). */
  readonly scope: string;
  /** Why the exception is needed. */
  readonly reason: string;
  /** Who asked for it. */
  readonly requester: string;
  /** Who approved it: one of the pack's approvers, not the requester. */
  readonly approver: string;
  /** Last day it applies, `YYYY-MM-DD` (UTC). */
  readonly expires: string;
  /** Day it was approved, `YYYY-MM-DD` (UTC): the expiry is bounded by the pack from this day. */
  readonly approved: string;
  /**
   * Base64 ed25519 signature by the approver.
   * @default - unsigned: the waiver does not apply
   */
  readonly signature?: string;
}
