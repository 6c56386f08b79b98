import { collector, TektonModelRule } from './types';
import { isolationIssues } from '../render/isolation';
import { trustConfigMap, trustIssues } from '../render/trust';

/** A gate's findings lie where only its scan can write them (see render/isolation). */
export const gateIsolationRule: TektonModelRule = (pipeline) => isolationIssues(pipeline);

/** A gate's trust sources are ones a pod can read, and no stored baseline (see render/trust). */
export const gateTrustRule: TektonModelRule = (pipeline) => trustIssues(pipeline);

/** The inline trust sources fit the one ConfigMap that ships them. */
export const trustSizeRule: TektonModelRule = (pipeline) => {
  const { issues, add } = collector();
  try {
    trustConfigMap(pipeline, {});
  } catch (e) {
    add(`pipeline "${pipeline.name}"`, (e as Error).message.replace(`pipeline "${pipeline.name}": `, ''));
  }
  return issues;
};
