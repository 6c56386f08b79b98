import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { personId } from './approvers';
import { UsageError } from './errors';
import { expiryInstant, parseExemptions } from './exemptions';
import { signExemption, verifyExemption } from './signing';

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
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * Adds an unapproved exemption to an exemptions file (created when missing; comments and order of
 * an existing file are kept). Refuses a duplicate id, a missing reason, and an expiry that is not
 * an ISO date in the future.
 */
export function requestExemption(file: string, req: ExemptionRequest, now = Date.now()): void {
  if (!ID.test(req.id)) throw new UsageError(`exemption id "${req.id}" must start with a letter or digit and use letters, digits and . _ : -`);
  if (!req.rule && !req.fingerprint) throw new UsageError('an exemption needs --rule (rule id or CVE) or --fingerprint');
  if (!req.reason?.trim()) throw new UsageError('an exemption needs --reason: say why the risk is accepted');
  if (!req.requestedBy?.trim()) throw new UsageError('an exemption needs --requested-by');
  const until = expiryInstant(req.expires);
  if (until === undefined) throw new UsageError(`--expires "${req.expires}" is not an ISO date (YYYY-MM-DD) or date-time with a time zone`);
  if (until <= now) throw new UsageError(`--expires ${req.expires} is in the past: an exemption must expire in the future`);
  if (req.fingerprint && !/^[0-9a-f]{8,64}$/i.test(req.fingerprint)) throw new UsageError(`--fingerprint "${req.fingerprint}" is not a gatehouse fingerprint (hex)`);

  const doc = loadDocument(file, true);
  const seq = entries(doc, file);
  if (seq.items.some((item) => isMap(item) && String(item.get('id')) === req.id)) {
    throw new UsageError(`${file}: an exemption with id "${req.id}" already exists: choose another id`);
  }
  const entry: Record<string, string> = { id: req.id };
  for (const key of ['fingerprint', 'rule', 'package', 'path', 'tool'] as const) if (req[key]) entry[key] = req[key]!;
  entry.reason = req.reason.trim();
  if (req.ticket) entry.ticket = req.ticket;
  entry.requestedBy = req.requestedBy.trim();
  entry.requestedAt = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
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
}

/**
 * Approves an exemption: sets `approvedBy` and `approvedAt`, then signs every field with the
 * approver's ed25519 key (`signature`). Refuses self-approval, an expired or undated exemption, and
 * an entry with unknown fields.
 */
export function approveExemption(file: string, approval: ExemptionApproval, now = Date.now()): string {
  const doc = loadDocument(file, false);
  const seq = entries(doc, file);
  const node = seq.items.find((item): item is YAMLMap => isMap(item) && String(item.get('id')) === approval.id);
  if (!node) throw new UsageError(`${file}: no exemption with id "${approval.id}"`);
  const parsed = parseExemptions(file, String(doc)).find((e) => e.id === approval.id)!;
  if (parsed.problems.length > 0) throw new UsageError(`exemption ${approval.id} ${parsed.problems.join('; ')}: fix it before approving`);
  if (!parsed.requestedBy) throw new UsageError(`exemption ${approval.id} has no requestedBy: it cannot be approved`);
  if (personId(parsed.requestedBy) === personId(approval.approver)) {
    throw new UsageError(`${approval.approver} requested exemption ${approval.id} and cannot approve it: another security approver must`);
  }
  const until = parsed.expires ? expiryInstant(parsed.expires) : undefined;
  if (until === undefined) throw new UsageError(`exemption ${approval.id} has no valid expires date: it cannot be approved`);
  if (until <= now) throw new UsageError(`exemption ${approval.id} expired on ${parsed.expires}: request a new one`);
  const privateKeyPem = approval.privateKeyPem;
  let publicKey;
  try {
    const key = createPrivateKey(privateKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType} key, not ed25519`);
    publicKey = createPublicKey(key);
  } catch (e) {
    throw new UsageError(`--key is not an ed25519 private key in PEM (${(e as Error).message}): create one with \`gatehouse exemption keygen\``);
  }
  node.set('approvedBy', approval.approver.trim());
  node.set('approvedAt', new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'));
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
