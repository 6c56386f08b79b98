import { GatePolicy, Pipeline, TrustSourceKind, ValidationIssue } from '../../core';
import { gatePoliciesOf, trustSourcesOf } from '../../core/gate-policies';
import { shellWord } from '../../core/gate-shell';

/**
 * Trust anchors on GitHub Actions (trusted keys, trusted VEX) come from the pipeline definition
 * only: the gate script writes each inline source, read-only, into a fresh folder of the gate
 * container's own `/tmp`, outside the checkout. A repository secret or variable is not a trust
 * source: the app team administers its repository and could set it. AWS and Kubernetes stores
 * cannot be read from a workflow: refused at synth, with the fix.
 */

/** The gate container's trust folder: outside the checkout, created fresh by the gate script. */
export const TRUST_DIR = '/tmp/gatehouse-trust';

/**
 * Writes one inline trust file: its content comes base64-encoded on stdin (a quoted heredoc, so no
 * content can reach the shell), into a new file (never over one or through a link) readable by
 * its owner only. Node only; double quotes only.
 */
const WRITE_INLINE_JS = [
  'const fs = require("fs");',
  'const [file] = process.argv.slice(1);',
  'fs.writeFileSync(file, Buffer.from(fs.readFileSync(0, "utf8"), "base64"), { mode: 0o400, flag: "wx" });',
].join('\n');

/** The lines placing a policy's trust files in a fresh `TRUST_DIR` (none when it has none). */
export function trustLines(policy: GatePolicy): string[] {
  const files = policy.trustFiles(TRUST_DIR);
  if (files.length === 0) return [];
  const lines = [
    '# trust anchors from the pipeline definition, never from the repository',
    `rm -rf ${TRUST_DIR} && mkdir -m 0700 ${TRUST_DIR} || { echo "gatehouse: cannot create the trust folder ${TRUST_DIR}"; exit 2; }`,
  ];
  for (const f of files) {
    if (f.source.kind !== TrustSourceKind.INLINE) throw new Error(`trust source ${f.source.describe()} cannot be read on GitHub Actions`);
    const b64 = Buffer.from(f.source.content!, 'utf8').toString('base64').match(/.{1,76}/g) ?? [];
    lines.push(`node -e '${WRITE_INLINE_JS}' ${shellWord(f.path)} <<'GATEHOUSE_TRUST' || exit 2`, ...b64, 'GATEHOUSE_TRUST');
  }
  lines.push(`chmod 0400 ${TRUST_DIR}/* && chmod 0500 ${TRUST_DIR} || exit 2`);
  return lines;
}


/** Trust sources a workflow cannot read, and stored baselines: one issue each, with the fix. */
export function trustIssues(pipeline: Pipeline): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const { where, policy } of gatePoliciesOf(pipeline)) {
    for (const { field, source } of trustSourcesOf(policy)) {
      if (source.kind === TrustSourceKind.INLINE) continue;
      issues.push({
        path: where,
        message:
          `${field} is ${source.describe()}, which a GitHub Actions workflow cannot read (and a repository secret is not a trust source: the app team administers its repository): ` +
          'use TrustSource.inline(...) in the pipeline definition (a blueprint owns it)',
      });
    }
    if (policy.storedBaseline) {
      issues.push({
        path: where,
        message: 'storedBaseline is not supported on GitHub Actions: a workflow has no store only gates can write; use a signed baseline (baseline with trustedKeys)',
      });
    }
  }
  return issues;
}
