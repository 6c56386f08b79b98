import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditEventType, RUN_CONTEXT_VARIABLES } from '../core/audit-events';
import { appendEvent, auditEvent } from '../findings/audit';

/**
 * The audit trail of a local run: CloudEvents (schemas/audit-event.schema.json) appended to
 * `events.jsonl` in the run folder — run started, each step and stage gate finished, approvals and
 * interventions decided, policy violations, run finished — with each gate's own `gate.decided`
 * event copied in after the gate. Steps and gates see the run's id, trigger and commit in their
 * environment (GATEHOUSE_RUN_ID, GATEHOUSE_TRIGGER, GATEHOUSE_COMMIT).
 */
export class RunAudit {
  /** The file of the trail. */
  public readonly file: string;

  constructor(runDir: string, private readonly pipeline: string, private readonly env: Readonly<Record<string, string | undefined>>) {
    this.file = join(runDir, 'events.jsonl');
  }

  /** Appends one event of `type` about `subject`. */
  public emit(type: AuditEventType, data: Record<string, unknown>, subject?: string): void {
    appendEvent(this.file, auditEvent(type, { pipeline: this.pipeline, subject, env: this.env }, data));
  }

  /** Copies a gate's own events (its output folder's `file`) into the trail, line by line. */
  public copyGateEvents(file: string): void {
    if (!existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      appendEvent(this.file, JSON.parse(line));
    }
  }
}

/** The run's context variables: its id (the run folder's name), trigger and the commit of the source, when it is a git checkout. */
export function runContextEnv(runId: string, trigger: string, sourceDir: string): Record<string, string> {
  const env: Record<string, string> = { [RUN_CONTEXT_VARIABLES.runId]: runId, [RUN_CONTEXT_VARIABLES.trigger]: trigger };
  const head = spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: sourceDir, encoding: 'utf8' });
  if (head.status === 0 && /^[0-9a-f]{40,64}\n?$/.test(head.stdout)) env[RUN_CONTEXT_VARIABLES.commit] = head.stdout.trim();
  return env;
}
