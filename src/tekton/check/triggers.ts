import { TektonModelRule } from './types';
import { TriggerKind } from '../../core';
import { WEBHOOK_PROVIDERS } from '../render/triggers';

/**
 * What Tekton Triggers cannot express: webhooks of other providers than GitHub and GitLab, and
 * file path filters of pull requests (a pull request's webhook does not list its files).
 */
export const triggersRule: TektonModelRule = (pipeline) => {
  const issues: Array<{ path: string; message: string }> = [];
  pipeline.triggers.forEach((t, i) => {
    const p = `trigger ${i + 1} (${t.word})`;
    if (t.kind === TriggerKind.PULL_REQUEST && !WEBHOOK_PROVIDERS.includes(pipeline.source.provider)) {
      issues.push({ path: p, message: `cannot be rendered: Tekton's EventListener verifies GitHub and GitLab webhooks, not ${pipeline.source.provider.toLowerCase()}: use Source.gitHub or Source.gitLab, or drop the trigger` });
    }
    if (t.kind === TriggerKind.PULL_REQUEST && (t.filePaths || t.filePathsExclude)) {
      issues.push({ path: p, message: 'filters file paths, which a pull request webhook does not list: drop filePaths and filePathsExclude on Tekton (limit the stages with onlyOn instead)' });
    }
  });
  return issues;
};
