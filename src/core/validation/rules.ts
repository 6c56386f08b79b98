import type { ValidationIssue } from '../errors';
import type { Pipeline } from '../pipeline';
import { alwaysRule } from './always';
import { artifactFlowRule } from './artifact-flow';
import { namesRule } from './names';
import { requiresRule } from './requires';
import { runAfterRule } from './run-after';
import { stagesRule } from './stages';
import { stepsRule } from './steps';
import { triggerFiltersRule } from './trigger-filters';
import { triggerFlowRule } from './trigger-flow';
import { triggerManualRule } from './trigger-manual';
import { triggerSchedulesRule } from './trigger-schedules';
import { triggerStagesRule } from './trigger-stages';
import { ModelRule } from './types';

/** Rules over the definition's shape, in the order their issues are listed. */
export const SHAPE_RULES: ModelRule[] = [
  namesRule,
  stagesRule,
  stepsRule,
  runAfterRule,
  requiresRule,
  alwaysRule,
  triggerFiltersRule,
  triggerSchedulesRule,
  triggerStagesRule,
  triggerManualRule,
];

/** Rules that need a sound shape (a graph without cycles or unknown names). */
export const FLOW_RULES: ModelRule[] = [artifactFlowRule, triggerFlowRule];

/** Every issue of the model, for every engine: the flow rules run only over a sound shape. */
export function modelIssues(pipeline: Pipeline): ValidationIssue[] {
  const shape = SHAPE_RULES.flatMap((rule) => rule(pipeline));
  if (shape.length > 0) return shape;
  return FLOW_RULES.flatMap((rule) => rule(pipeline));
}
