/*
 * The audit trail's vocabulary, shared by the gate (src/findings) and every engine: CloudEvents
 * types and the environment variables through which an engine tells a step which run it is in.
 * The event format is schemas/audit-event.schema.json (docs/audit.md).
 */

/** Every audit event's `type` starts with this. */
export const AUDIT_EVENT_PREFIX = 'dev.gatehouse.';

/** The event types, without the prefix. */
export const AUDIT_EVENT_TYPES = [
  'run.started',
  'stage.finished',
  'step.finished',
  'gate.decided',
  'approval.decided',
  'policy.violated',
  'run.finished',
] as const;

/** One audit event type, without the prefix. */
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * The run an event belongs to, as the engine sets it in every step's environment: the run's id
 * (CodePipeline execution id, PipelineRun name, local run folder name), what started it, and the
 * commit it runs. Event field → variable.
 */
export const RUN_CONTEXT_VARIABLES = {
  runId: 'GATEHOUSE_RUN_ID',
  trigger: 'GATEHOUSE_TRIGGER',
  commit: 'GATEHOUSE_COMMIT',
} as const;
