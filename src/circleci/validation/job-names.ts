import { ConfigIssue, ConfigRule, workflowEntries } from './types';
import { JOB_NAME } from '../check/types';

/** Every job name, defined or invoked, is one CircleCI accepts: a letter, then letters, digits, spaces, `_` or `-`. */
export const jobNamesRule: ConfigRule = {
  id: 'job-names',
  description: 'job names start with a letter and hold only letters, digits, spaces, "_" and "-"',
  check(config) {
    const issues: ConfigIssue[] = [];
    for (const name of Object.keys(config?.jobs ?? {})) {
      if (!JOB_NAME.test(name)) issues.push({ field: `jobs.${name}`, message: `job name "${name}" is not a CircleCI job name: start with a letter, use letters, digits, spaces, "_" or "-"` });
    }
    for (const e of workflowEntries(config)) {
      if (!JOB_NAME.test(e.name)) issues.push({ field: e.field, message: `workflow job "${e.name}" is not a CircleCI job name: start with a letter, use letters, digits, spaces, "_" or "-"` });
    }
    return issues;
  },
};
