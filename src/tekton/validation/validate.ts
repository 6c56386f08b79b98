import { ALL_RULES } from './rules';
import { Manifest, TektonIssue, TektonRule } from './types';

/** An issue with the id of the rule that found it. */
export interface RuleIssue extends TektonIssue {
  readonly rule: string;
}

/** Runs the rules over the objects; returns every issue found. */
export function validateManifests(manifests: Manifest[], rules: TektonRule[] = ALL_RULES): RuleIssue[] {
  const context = { manifests };
  return rules.flatMap((rule) => rule.check(context).map((i) => ({ ...i, rule: rule.id })));
}

/** One line per issue: `Pipeline "x" spec.tasks[1].runAfter[0]: message [rule]`. */
export function formatIssue(issue: RuleIssue): string {
  return `${issue.object} ${issue.field}: ${issue.message} [${issue.rule}]`;
}
