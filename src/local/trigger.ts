import { TriggerKind, triggerWord } from '../core';

/** A stage as the local engine reads it (of any copy of the library). */
interface StageLike {
  readonly onlyOn?: string[];
}

/** A pipeline as the local engine reads it. */
interface PipelineLike {
  readonly triggers?: Array<{ readonly kind: string }>;
}

/**
 * The trigger of a local run: `requested`, or MANUAL (a person runs it here). A kind the
 * pipeline does not declare is a problem (except MANUAL), as is a value that is not a kind.
 */
export function runTrigger(pipeline: PipelineLike, requested: TriggerKind | undefined, problems: string[]): TriggerKind {
  const kind = requested ?? TriggerKind.MANUAL;
  const known = Object.values(TriggerKind) as string[];
  if (!known.includes(kind)) {
    problems.push(`trigger "${kind}" is not a trigger kind: use one of ${known.map((k) => triggerWord(k as TriggerKind)).join(', ')}`);
    return TriggerKind.MANUAL;
  }
  const declared = (pipeline.triggers ?? []).map((t) => t.kind);
  if (kind !== TriggerKind.MANUAL && !declared.includes(kind)) {
    const words = [...new Set(declared)].map((k) => triggerWord(k as TriggerKind));
    problems.push(`trigger ${triggerWord(kind)} is not a trigger of the pipeline (it has ${words.join(', ') || 'none'}): run as one of them or as manual`);
  }
  return kind;
}

/** Whether a stage runs on `kind` (every stage does when it sets no `onlyOn`). */
export function stageRunsOn(stage: StageLike, kind: TriggerKind): boolean {
  return stage.onlyOn === undefined || stage.onlyOn.includes(kind);
}

/** `--trigger` word (`push`, `pull_request`, `pull-request`, `schedule`, `manual`) as a kind. */
export function parseTriggerWord(word: string): TriggerKind | undefined {
  const k = word.trim().toUpperCase().replace(/-/g, '_');
  return (Object.values(TriggerKind) as string[]).includes(k) ? (k as TriggerKind) : undefined;
}
