import { TriggerKind } from '../trigger';
import { triggerPath } from './trigger-filters';
import { collector, ModelRule } from './types';

/**
 * Manual triggers agree on who may start runs: when one names `startedBy`, a manual trigger
 * without it would quietly let anyone start runs again.
 */
export const triggerManualRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  const manual = pipeline.triggers.map((t, i) => ({ t, i })).filter(({ t }) => t.kind === TriggerKind.MANUAL);
  if (!manual.some(({ t }) => t.startedBy !== undefined)) return issues;
  for (const { t, i } of manual) {
    if (t.startedBy === undefined) {
      add(triggerPath(t, i), 'names nobody in startedBy while another manual trigger does: name who may start runs here too, or drop this trigger');
    }
  }
  return issues;
};
