import { environmentsRule } from './environments';
import { expressionsRule } from './expressions';
import { jobIdsRule } from './job-ids';
import { needsExistRule } from './needs-exist';
import { noCyclesRule } from './no-cycles';
import { permissionsRule } from './permissions';
import { pinnedActionsRule } from './pinned-actions';
import { schemaRule } from './schema';
import { Workflow, WorkflowIssue, WorkflowRule } from './types';

/** Every rule a rendered workflow is checked with, in the order issues are reported. */
export const WORKFLOW_RULES: WorkflowRule[] = [
  schemaRule,
  jobIdsRule,
  needsExistRule,
  noCyclesRule,
  expressionsRule,
  environmentsRule,
  pinnedActionsRule,
  permissionsRule,
];

/** An issue with the id of the rule that found it. */
export interface RuleIssue extends WorkflowIssue {
  readonly rule: string;
}

/** Runs the rules over a workflow; returns every issue found. */
export function validateWorkflow(workflow: Workflow, rules: WorkflowRule[] = WORKFLOW_RULES): RuleIssue[] {
  return rules.flatMap((rule) => rule.check(workflow).map((i) => ({ ...i, rule: rule.id })));
}

/** One line per issue: `jobs.x.needs[0]: message [rule]`. */
export function formatIssue(issue: RuleIssue): string {
  return `${issue.field}: ${issue.message} [${issue.rule}]`;
}
