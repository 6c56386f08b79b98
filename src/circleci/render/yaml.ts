import * as YAML from 'yaml';
import { WorkflowJob } from './types';

/**
 * The config as YAML: scripts as literal blocks, no folding, and each hold's comment above its
 * workflow entry (what CircleCI cannot enforce is said where the approver's job is defined).
 */
export function configYaml(config: Record<string, any>, workflows: Array<{ name: string; jobs: WorkflowJob[] }>, header: string[]): string {
  const doc = new YAML.Document(config);
  doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  for (const wf of workflows) {
    const seq = doc.getIn(['workflows', wf.name, 'jobs'], true) as YAML.YAMLSeq;
    wf.jobs.forEach((w, i) => {
      if (!w.comment) return;
      const item = seq.items[i] as YAML.Node;
      item.commentBefore = ` ${w.comment}`;
    });
  }
  return doc.toString({ lineWidth: 0, blockQuote: 'literal' });
}
