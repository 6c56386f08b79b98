import { ConfigIssue, ConfigRule, workflowEntries } from './types';
import { CONTEXT_NAME } from '../check/types';

/** Contexts are named the way gatehouse names them: letters, digits, `.`, `_`, `-`, a letter or digit first. */
export const contextNamesRule: ConfigRule = {
  id: 'context-names',
  description: 'context names are letters, digits, ".", "_" and "-", starting with a letter or digit',
  check(config) {
    const issues: ConfigIssue[] = [];
    for (const e of workflowEntries(config)) {
      const c = e.body.context;
      const names = c === undefined ? [] : Array.isArray(c) ? c : [c];
      names.forEach((n: unknown, i: number) => {
        if (typeof n !== 'string' || !CONTEXT_NAME.test(n)) {
          issues.push({ field: `${e.field}.context${Array.isArray(c) ? `[${i}]` : ''}`, message: `context "${String(n)}" is not a context name: use letters, digits, ".", "_" and "-"` });
        }
      });
    }
    return issues;
  },
};
