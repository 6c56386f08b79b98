import { PipelineDocument, PolicySeverity, PolicyViolationLocation } from '../core';

/** Prefix of the detail of a rule that could not be evaluated (never waivable). */
export const EVALUATION_FAILED = 'the rule could not be evaluated';

/** What every policy rule declares. */
export interface PolicyRuleProps {
  /** Rule id, unique in its pack (letters, digits, `.`, `_`, `-`), e.g. `GH-IMAGE-DIGEST`. */
  readonly id: string;
  /**
   * Error (refuses the pipeline) or warning (printed and recorded).
   * @default PolicySeverity.ERROR
   */
  readonly severity?: PolicySeverity;
  /** What the rule requires, lowercase. */
  readonly message: string;
  /** How to comply. */
  readonly fix: string;
}

const RULE_ID = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

/**
 * A policy rule over the pipeline document. Built-in rules live one per file under
 * `policy/rules/`; org rules are CEL expressions in a `PolicyPack` YAML (`CelRule`).
 */
export abstract class PolicyRule {
  /** Rule id. */
  public readonly id: string;
  /** Severity. */
  public readonly severity: PolicySeverity;
  /** What the rule requires. */
  public readonly message: string;
  /** How to comply. */
  public readonly fix: string;

  protected constructor(props: PolicyRuleProps) {
    const problems = policyRuleProblems(props);
    if (problems.length > 0) throw new Error(`policy rule ${JSON.stringify(props.id)}: ${problems.join('; ')}`);
    this.id = props.id;
    this.severity = props.severity ?? PolicySeverity.ERROR;
    this.message = props.message;
    this.fix = props.fix;
  }

  /** Where the document breaks the rule (JSON pointers); empty when it complies. */
  public abstract evaluate(document: PipelineDocument): PolicyViolationLocation[];
}

/** Problems of a rule's id, severity, message and fix; empty when fine. */
export function policyRuleProblems(props: { id?: unknown; severity?: unknown; message?: unknown; fix?: unknown }): string[] {
  const problems: string[] = [];
  if (typeof props.id !== 'string' || !RULE_ID.test(props.id)) {
    problems.push(`id ${JSON.stringify(props.id)} is not a rule id: use a letter then letters, digits, ".", "_" or "-" (at most 64), e.g. ACME-001`);
  }
  if (props.severity !== undefined && !Object.values(PolicySeverity).includes(props.severity as PolicySeverity)) {
    problems.push(`severity ${JSON.stringify(props.severity)} is not error or warning`);
  }
  for (const f of ['message', 'fix'] as const) {
    if (typeof props[f] !== 'string' || (props[f] as string).trim() === '') problems.push(`${f} is empty: say ${f === 'message' ? 'what the rule requires' : 'how to comply'}`);
  }
  return problems;
}
