import { approvalShapeRule } from './approval-shape';
import { contextNamesRule } from './context-names';
import { jobNamesRule } from './job-names';
import { jobsDefinedRule } from './jobs-defined';
import { noCyclesRule } from './no-cycles';
import { requiresExistRule } from './requires-exist';
import { schemaRule } from './schema';
import { ConfigRule } from './types';
import { workspacePathsRule } from './workspace-paths';

/** Every rule over the rendered config, in the order issues are reported: the schema, then what CircleCI checks that no schema states, then gatehouse's own. */
export const CONFIG_RULES: ConfigRule[] = [
  schemaRule,
  jobNamesRule,
  jobsDefinedRule,
  requiresExistRule,
  noCyclesRule,
  approvalShapeRule,
  contextNamesRule,
  workspacePathsRule,
];
