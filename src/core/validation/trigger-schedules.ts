import { cronProblems, timeZoneProblem } from '../cron';
import { nameIssue } from '../names';
import { TriggerKind } from '../trigger';
import { triggerPath } from './trigger-filters';
import { collector, ModelRule } from './types';

/** Every schedule has a valid five-field cron, a known IANA time zone and a unique DNS-1123 name. */
export const triggerSchedulesRule: ModelRule = (pipeline) => {
  const { issues, add } = collector();
  const names = new Set<string>();
  pipeline.triggers.forEach((t, i) => {
    if (t.kind !== TriggerKind.SCHEDULE) return;
    const p = triggerPath(t, i);
    const nameProblem = nameIssue(t.scheduleName!);
    if (nameProblem) add(p, nameProblem);
    if (names.has(t.scheduleName!)) add(p, 'is declared twice: give every schedule a unique name');
    names.add(t.scheduleName!);
    for (const problem of cronProblems(t.cron)) add(p, problem);
    const zone = timeZoneProblem(t.timeZone);
    if (zone) add(p, zone);
  });
  return issues;
};
