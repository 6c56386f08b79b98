import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { DEFAULT_MAX_EXEMPTION_DAYS, exceedsLifetime, expiryInstant, isoSeconds } from './dates';
import { UsageError } from './errors';
import { parseExemptions } from './exemptions';
import { idProblem, identityKey } from './identity';
import { signExemption, signingKeyOf, verifyExemption } from './signing';

/** What a developer asks for (`gatehouse exemption request`). */
export interface ExemptionRequest {
  readonly id: string;
  readonly rule?: string;
  readonly fingerprint?: string;
  readonly package?: string;
  readonly path?: string;
  readonly tool?: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly expires: string;
  readonly ticket?: string;
  /** Pipelines it is for (written as `pipeline`: one name, or a list). */
  readonly pipeline?: readonly string[];
  /** Longest lifetime in days from now. @default 90 */
  readonly maxDays?: number;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * Adds an unapproved exemption to an exemptions file (created when missing; comments and order of
 * an existing file are kept). Refuses a duplicate id, a missing reason, a requester id with
 * invisible characters, and an expiry that is not a real ISO date in the future within the maximum
 * lifetime.
 */
export function requestExemption(file: string, req: ExemptionRequest, now = Date.now()): void {
  if (!ID.test(req.id)) throw new UsageError(`exemption id "${req.id}" must start with a letter or digit and use letters, digits and . _ : -`);
  if (!req.rule && !req.fingerprint) throw new UsageError('an exemption needs --rule (rule id or CVE) or --fingerprint');
  if (!req.reason?.trim()) throw new UsageError('an exemption needs --reason: say why the risk is accepted');
  if (!req.requestedBy?.trim()) throw new UsageError('an exemption needs --requested-by');
  const badId = idProblem(req.requestedBy, '--requested-by');
  if (badId) throw new UsageError(badId);
  checkExpiry(req.expires, now, req.maxDays ?? DEFAULT_MAX_EXEMPTION_DAYS, '--expires');
  const pipelines = (req.pipeline ?? []).map((p) => p.trim());
  for (const p of pipelines) {
    const bad = idProblem(p, '--pipeline');
    if (bad) throw new UsageError(bad);
    if (p === '') throw new UsageError('--pipeline names no pipeline');
  }
  if (req.fingerprint && !/^[0-9a-f]{8,64}$/i.test(req.fingerprint)) throw new UsageError(`--fingerprint "${req.fingerprint}" is not a gatehouse fingerprint (hex)`);

  const doc = loadDocument(file, true);
  const seq = entries(doc, file);
  if (seq.items.some((item) => isMap(item) && String(item.get('id')) === req.id)) {
    throw new UsageError(`${file}: an exemption with id "${req.id}" already exists: choose another id`);
  }
  const entry: Record<string, string> = { id: req.id };
  for (const key of ['fingerprint', 'rule', 'package', 'path', 'tool'] as const) if (req[key]) entry[key] = req[key]!;
  if (pipelines.length > 0) (entry as Record<string, unknown>).pipeline = pipelines.length === 1 ? pipelines[0] : pipelines;
  entry.reason = req.reason.trim();
  if (req.ticket) entry.ticket = req.ticket;
  entry.requestedBy = req.requestedBy.trim();
  entry.requestedAt = isoSeconds(now);
  entry.expires = req.expires;
  seq.add(doc.createNode(entry));
  save(file, doc);
}

/** What a security approver does (`gatehouse exemption approve`). */
export interface ExemptionApproval {
  readonly id: string;
  readonly approver: string;
  /** ed25519 private key (PEM) that signs the exemption. */
  readonly privateKeyPem: string;
  /** Longest lifetime in days from the approval. @default 90 */
  readonly maxDays?: number;
}

/**
 * Approves an exemption: sets `approvedBy` and `approvedAt`, then signs every field with the
 * approver's ed25519 key (`signature`). Refuses self-approval (names compared after Unicode
 * normalization, case folding and confusable folding), ids with invisible characters, an expired,
 * undated or too long-lived exemption, and an entry with unknown fields.
 */
export function approveExemption(file: string, approval: ExemptionApproval, now = Date.now()): string {
  const doc = loadDocument(file, false);
  const seq = entries(doc, file);
  const node = seq.items.find((item): item is YAMLMap => isMap(item) && String(item.get('id')) === approval.id);
  if (!node) throw new UsageError(`${file}: no exemption with id "${approval.id}"`);
  const parsed = parseExemptions(file, String(doc)).find((e) => e.id === approval.id)!;
  if (parsed.problems.length > 0) throw new UsageError(`exemption ${approval.id} ${parsed.problems.join('; ')}: fix it before approving`);
  if (!parsed.requestedBy) throw new UsageError(`exemption ${approval.id} has no requestedBy: it cannot be approved`);
  const badIds = [idProblem(approval.approver, '--approver'), idProblem(parsed.requestedBy, 'requestedBy')].filter((p) => p !== undefined);
  if (badIds.length > 0) throw new UsageError(`exemption ${approval.id} cannot be approved: ${badIds.join('; ')}`);
  if (identityKey(parsed.requestedBy) === identityKey(approval.approver)) {
    throw new UsageError(`${approval.approver} requested exemption ${approval.id} (as ${parsed.requestedBy}) and cannot approve it: another security approver must`);
  }
  if (!parsed.expires) throw new UsageError(`exemption ${approval.id} has no valid expires date: it cannot be approved`);
  checkExpiry(parsed.expires, now, approval.maxDays ?? DEFAULT_MAX_EXEMPTION_DAYS, `exemption ${approval.id}: expires`);
  const privateKeyPem = approval.privateKeyPem;
  const publicKey = signingKeyOf(privateKeyPem, (m) => new UsageError(m));
  node.set('approvedBy', approval.approver.trim());
  node.set('approvedAt', isoSeconds(now));
  node.delete('signature');
  // sign exactly what the gate will read back from the file
  const reread = parseExemptions(file, String(doc)).find((e) => e.id === approval.id)!;
  const signature = signExemption(reread.raw, privateKeyPem);
  node.set('signature', signature);
  const final = parseExemptions(file, String(doc)).find((e) => e.id === approval.id)!;
  if (!verifyExemption(final.raw, signature, [publicKey])) {
    throw new Error(`internal error: the signature of exemption ${approval.id} does not verify after writing; the file was not changed`);
  }
  save(file, doc);
  return signature;
}

/** Refuses an expiry that is not a real date, is past, or lies more than `maxDays` after now. */
function checkExpiry(expires: string, now: number, maxDays: number, what: string): void {
  const until = expiryInstant(expires);
  if (until === undefined) throw new UsageError(`${what} "${expires}" is not a real ISO date (YYYY-MM-DD) or date-time with a time zone`);
  if (until <= now) throw new UsageError(`${what} ${expires} is in the past: an exemption must expire in the future`);
  if (exceedsLifetime(expires, now, maxDays)) {
    throw new UsageError(`${what} ${expires} is more than ${maxDays} days after ${isoSeconds(now)}: an exemption may live at most ${maxDays} days (--max-days); choose an earlier date`);
  }
}

function loadDocument(file: string, create: boolean): Document {
  if (!existsSync(file)) {
    if (!create) throw new UsageError(`${file} does not exist: check the path of the exemptions file`);
    return new Document({ exemptions: [] });
  }
  const doc = parseDocument(readFileSync(file, 'utf8'), { uniqueKeys: true });
  if (doc.errors.length > 0) throw new UsageError(`${file} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents === null) doc.contents = doc.createNode({ exemptions: [] }) as never;
  return doc;
}

function entries(doc: Document, file: string): YAMLSeq {
  const root = doc.contents;
  if (isSeq(root)) return root;
  if (isMap(root)) {
    let seq = root.get('exemptions');
    if (seq === undefined || seq === null) {
      seq = doc.createNode([]);
      root.set('exemptions', seq);
    }
    if (isSeq(seq)) return seq;
  }
  throw new UsageError(`${file} is not an exemptions file: expected \`exemptions:\` with a list of entries`);
}

function save(file: string, doc: Document): void {
  writeFileSync(file, String(doc));
}
