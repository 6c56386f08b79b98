import { GatePolicy, Pipeline, TrustSourceKind, ValidationIssue } from '../../core';
import { gatePoliciesOf, trustSourcesOf } from '../../core/gate-policies';

/**
 * Trust anchors on CircleCI (trusted keys, trusted VEX): the config is the only thing a job
 * reads that gatehouse writes, so a gate's trust files come from the pipeline definition
 * (`TrustSource.inline`), written into the config by the engine and by the gate job into a folder
 * outside the checkout, read-only, before the gate runs. Never a file of the repository: the
 * gate reads no path of the checkout for them. AWS stores and Kubernetes objects are not
 * readable from a CircleCI job: refused at synth.
 */

/** Writes each of `text` into `file` (base64 in the config, decoded by node, mode 0400). */
const WRITE_JS = 'const fs = require("fs"); fs.writeFileSync(process.argv[1], Buffer.from(process.argv[2], "base64"), { mode: 0o400, flag: "wx" });';

/** The lines of the gate script that write the policy's trust files into `trustDir`. */
export function trustFileLines(policy: GatePolicy, trustDir: string): string[] {
  const files = policy.trustFiles(trustDir);
  if (files.length === 0) return [];
  return [
    '# trust files, from the pipeline definition (never from the repository)',
    `rm -rf ${trustDir} && mkdir -p ${trustDir} || return 2`,
    ...files.map((f) => {
      if (f.source.kind !== TrustSourceKind.INLINE) throw new Error(`trust source ${f.source.describe()} cannot be read on CircleCI`);
      return `node -e '${WRITE_JS}' ${f.path} ${Buffer.from(f.source.content!, 'utf8').toString('base64')} || return 2`;
    }),
  ];
}


/** Trust sources a CircleCI job cannot read, and stored baselines: one issue each, with the fix. */
export function trustIssues(pipeline: Pipeline): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const { where, policy } of gatePoliciesOf(pipeline)) {
    for (const { field, source } of trustSourcesOf(policy)) {
      if (source.kind !== TrustSourceKind.INLINE) {
        issues.push({
          path: where,
          message: `${field} is ${source.describe()}, which a CircleCI job cannot read: use TrustSource.inline(...) (written into the config from the definition)`,
        });
      }
    }
    if (policy.storedBaseline) {
      issues.push({ path: where, message: 'storedBaseline is not supported on CircleCI (a workspace lives for one workflow): use a signed baseline (baseline with trustedKeys)' });
    }
  }
  return issues;
}
