import { PlannedJob, resolveNeeds, ResolvedNeeds } from './dag';
import { eventGuard } from './triggers';
import { TriggerKind } from '../../core';

/*
 * Stages limited to some triggers (`onlyOn`) on GitHub: each of their jobs runs only when
 * `github.event_name` is one of its kinds' events, and is skipped otherwise. GitHub skips what
 * needs a skipped job; the model goes on after a skipped stage (core validation already refuses
 * a stage that runs after a gated stage skipped on the same trigger, or reads its artifacts). So
 * a job that needs a job skipped on some trigger it runs on also needs, for that trigger, what
 * the skipped job would have waited for (transitively), and its condition says, event by event,
 * which of its needs must have succeeded. A failure anywhere before it still leaves it skipped.
 */

/** The jobs `jobId` stands for on `kind`: itself when its stage runs on `kind`, else what it waits for, recursively. */
function effectiveNeeds(jobId: string, kind: TriggerKind, byId: Map<string, PlannedJob>): string[] {
  const job = byId.get(jobId)!;
  if (job.stage.runsOn(kind)) return [jobId];
  return unique(job.needs.flatMap((n) => effectiveNeeds(n, kind, byId)));
}

/** `needs.<id>.result == 'success'`, or for an intervention: succeeded, or skipped because its job passed. */
function succeeded(id: string, byId: Map<string, PlannedJob>): string {
  const need = byId.get(id)!;
  if (need.kind !== 'intervention') return `needs.${id}.result == 'success'`;
  const decided = need.intervenes!.jobId;
  const passed = need.intervenes!.on === 'gate' ? `needs.${decided}.outputs.verdict == 'PASSED'` : `needs.${decided}.outputs.outcome == 'success'`;
  return `(needs.${id}.result == 'success' || (needs.${id}.result == 'skipped' && ${passed}))`;
}

/**
 * A job's `needs` and condition on a workflow whose runs can have `kinds`: `resolveNeeds` when
 * its stage runs on every kind and none of its needs is skipped on one; that condition behind
 * the event guard when only the stage is limited; else one arm per group of events with the
 * same effective needs.
 */
export function triggerNeeds(job: PlannedJob, byId: Map<string, PlannedJob>, kinds: TriggerKind[]): ResolvedNeeds {
  const base = resolveNeeds(job, byId);
  const runs = kinds.filter((k) => job.stage.runsOn(k));
  const limited = runs.length < kinds.length;
  if (job.kind === 'always') return { needs: base.needs, condition: limited ? `always() && ${eventGuard(runs)}` : 'always()' };
  if (job.kind === 'intervention') return base; // same stage as its job: skipped with it
  const arms = new Map<string, { kinds: TriggerKind[]; needs: string[] }>();
  for (const k of runs) {
    const needs = unique(job.needs.flatMap((n) => effectiveNeeds(n, k, byId)));
    const key = [...needs].sort().join(' ');
    const arm = arms.get(key);
    if (arm) arm.kinds.push(k);
    else arms.set(key, { kinds: [k], needs });
  }
  const crosses = [...arms.values()].some((a) => a.needs.length !== job.needs.length || a.needs.some((n) => !job.needs.includes(n)));
  if (!crosses) {
    if (!limited) return base;
    return { needs: base.needs, condition: base.condition ? `${eventGuard(runs)} && ${base.condition}` : eventGuard(runs) };
  }
  const withIntervened = (ids: string[]) => unique(ids.flatMap((n) => {
    const need = byId.get(n)!;
    return need.kind === 'intervention' ? [n, need.intervenes!.jobId] : [n];
  }));
  const needs = withIntervened([...job.needs, ...[...arms.values()].flatMap((a) => a.needs)]);
  const armTexts = [...arms.values()].map((a) => {
    const parts = [...(a.kinds.length < kinds.length ? [eventGuard(a.kinds)] : []), ...a.needs.map((n) => succeeded(n, byId))];
    return parts.length === 0 ? 'true' : parts.length === 1 ? parts[0] : `(${parts.join(' && ')})`;
  });
  const body = armTexts.length === 1 ? armTexts[0] : `(${armTexts.join(' || ')})`;
  return { needs, condition: `!cancelled() && ${body}` };
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
