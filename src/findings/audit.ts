import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { GateResult } from './engine';
import { UsageError } from './errors';
import { Severity } from './types';
import { AUDIT_EVENT_PREFIX, AUDIT_EVENT_TYPES, AuditEventType, RUN_CONTEXT_VARIABLES } from '../core/audit-events';

/*
 * The gate's audit events: CloudEvents 1.0 in the JSON format (structured mode), as described by
 * schemas/audit-event.schema.json. The gate writes its own `gate.decided` event (a verdict, or
 * ERROR when it could not decide) as one JSON line appended to a file, and/or POSTs it to a
 * CloudEvents HTTP sink. Every value comes from the gate's own inputs and the run's environment
 * (GATEHOUSE_RUN_ID, GATEHOUSE_TRIGGER, GATEHOUSE_COMMIT, set by the engine); nothing a report
 * holds is copied but identifiers, and JSON encoding keeps every event on one line.
 */

/** One CloudEvent as gatehouse writes it. */
export interface AuditEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: Record<string, unknown>;
}

/** Where the event is about: the pipeline, the gate's subject (`stage/step`) and the run. */
export interface AuditContext {
  readonly pipeline?: string;
  readonly subject?: string;
  /** The run's environment (defaults to the process's): GATEHOUSE_RUN_ID, GATEHOUSE_TRIGGER, GATEHOUSE_COMMIT. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** For tests: the event id and time. */
  readonly id?: string;
  readonly now?: number;
}

/** `source` of the events of a pipeline (a URI reference). */
export function auditSource(pipeline: string | undefined): string {
  return pipeline ? `/gatehouse/pipelines/${encodeURIComponent(pipeline)}` : '/gatehouse';
}

/** The run fields every event carries, from the environment the engine set (each only when set). */
function runFields(ctx: AuditContext): Record<string, string> {
  const env = ctx.env ?? process.env;
  const out: Record<string, string> = {};
  for (const [field, variable] of Object.entries(RUN_CONTEXT_VARIABLES)) {
    const v = env[variable];
    if (v !== undefined && v !== '') out[field] = v.slice(0, 256);
  }
  return out;
}

/** A CloudEvent of `type` (without the `dev.gatehouse.` prefix) with `data`. */
export function auditEvent(type: AuditEventType, ctx: AuditContext, data: Record<string, unknown>): AuditEvent {
  if (!AUDIT_EVENT_TYPES.includes(type)) throw new UsageError(`unknown audit event type ${type}`);
  return {
    specversion: '1.0',
    id: ctx.id ?? randomUUID(),
    source: auditSource(ctx.pipeline),
    type: `${AUDIT_EVENT_PREFIX}${type}`,
    ...(ctx.subject ? { subject: ctx.subject } : {}),
    time: new Date(ctx.now ?? Date.now()).toISOString(),
    datacontenttype: 'application/json',
    data: { ...(ctx.pipeline ? { pipeline: ctx.pipeline } : {}), ...runFields(ctx), ...data },
  };
}

/** The `gate.decided` event of a decision: verdict, counts, what was accepted and by whom. */
export function gateDecidedEvent(result: GateResult, ctx: AuditContext): AuditEvent {
  const applied = result.exemptions.filter((e) => e.state === 'valid' && e.matched.length > 0);
  const refused = result.exemptions.filter((e) => e.state !== 'valid');
  return auditEvent('gate.decided', ctx, {
    verdict: result.decision.verdict,
    failOn: result.options.failOn,
    counts: { ...result.summary.bySeverity } as Record<Severity, number>,
    total: result.summary.total,
    reasons: result.decision.reasons,
    reports: result.reports.map((r) => ({ file: r.file, format: r.format })),
    exemptions: applied.map((e) => ({
      id: e.exemption.id,
      approvedBy: e.exemption.approvedBy ?? null,
      requestedBy: e.exemption.requestedBy ?? null,
      expires: e.exemption.expires ?? null,
      findings: e.matched.length,
    })),
    refusedExemptions: refused.map((e) => ({ id: e.exemption.id, state: e.state, problems: e.problems })),
    vex: {
      applied: (result.vex.documents ?? [])
        .filter((d) => d.applied)
        .map((d) => ({ file: d.file, trust: d.trust, signedBy: d.signedBy ?? null })),
      untrusted: result.vex.untrusted ?? [],
      suppressed: result.vex.suppressed,
    },
    baseline: baselineOf(result),
  });
}

function baselineOf({ baseline: b }: GateResult): Record<string, unknown> | null {
  return b ? { trust: b.trust, applied: b.applied, signedBy: b.signedBy ?? null, existing: b.existing } : null;
}

/** The `gate.decided` event of a gate that could not decide (bad input): verdict ERROR and why. */
export function gateErrorEvent(error: unknown, ctx: AuditContext): AuditEvent {
  const message = error instanceof Error ? error.message : String(error);
  return auditEvent('gate.decided', ctx, { verdict: 'ERROR', error: message.slice(0, 2000) });
}

/** Appends the event to `file` as one JSON line. */
export function appendEvent(file: string, event: AuditEvent): void {
  try {
    appendFileSync(file, JSON.stringify(event) + '\n', { mode: 0o644 });
  } catch (e) {
    throw new UsageError(`cannot write the audit event to ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Checks a CloudEvents sink URL: http or https, no credentials in it. */
export function checkSinkUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--events-url ${JSON.stringify(url)} is not a URL: give the http(s) address of a CloudEvents sink`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new UsageError(`--events-url ${JSON.stringify(url)} is not http or https: give the address of a CloudEvents sink`);
  }
  if (u.username || u.password) {
    throw new UsageError('--events-url must not hold credentials: a URL is printed in logs; put the sink behind a network policy or a token proxy');
  }
  return u;
}

/**
 * POSTs the event to a CloudEvents sink in structured mode. Delivery does not change the verdict:
 * a sink that refuses or cannot be reached is a warning (the event is also in the file and the
 * log), returned for the caller to print.
 */
export async function postEvent(url: URL, event: AuditEvent, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    if (!res.ok) return `the CloudEvents sink ${url.origin} answered ${res.status}: the gate event was not delivered`;
    return undefined;
  } catch (e) {
    return `the CloudEvents sink ${url.origin} could not be reached (${(e as Error).message}): the gate event was not delivered`;
  }
}
