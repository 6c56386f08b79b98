import { CONFIG_RULES } from './rules';
import { ConfigIssue, ConfigRule } from './types';

/** An issue with the id of the rule that found it. */
export interface RuleIssue extends ConfigIssue {
  readonly rule: string;
}

/** Runs the rules over a config (as JSON); returns every issue found. */
export function validateConfigJson(config: any, rules: ConfigRule[] = CONFIG_RULES): RuleIssue[] {
  return rules.flatMap((rule) => rule.check(config).map((i) => ({ ...i, rule: rule.id })));
}

/** One line per issue: `.circleci/config.yml jobs.x.steps[2]: message [rule]`. */
export function formatIssue(issue: RuleIssue): string {
  return `.circleci/config.yml ${issue.field}: ${issue.message} [${issue.rule}]`;
}
