import { PipelineDocument, PolicySeverity, PolicyViolationLocation, SecurityContextNeed } from '../../core';
import { PolicyRule } from '../rule';
import { steps } from '../walk';

/** Options of `SecurityContextExceptionsRule`. */
export interface SecurityContextExceptionsRuleProps {
  /**
   * The needs this rule reports (a blueprint forbids privileged builds with
   * `{ needs: [SecurityContextNeed.PRIVILEGED], severity: PolicySeverity.ERROR }`).
   * @default - every need
   */
  readonly needs?: SecurityContextNeed[];
  /**
   * Severity.
   * @default PolicySeverity.WARNING
   */
  readonly severity?: PolicySeverity;
}

const ENGINE_PLATFORMS: { [engine: string]: string } = { codepipeline: 'codebuild', tekton: 'kubernetes' };
const word = (need: string) => need.toLowerCase().replace(/_/g, '-');

/**
 * GH-SECURITY-CONTEXT-EXCEPTIONS: reports every typed security-context exception (what a step
 * needs beyond the least-privilege context, and why) on the document's platform, or on any
 * platform for an engine-independent document. A warning by default, so the exceptions are seen;
 * an error, limited to some needs, forbids them.
 */
export class SecurityContextExceptionsRule extends PolicyRule {
  private readonly needs: string[];

  constructor(props: SecurityContextExceptionsRuleProps = {}) {
    const needs = props.needs ?? Object.values(SecurityContextNeed);
    for (const n of needs) {
      if (!Object.values(SecurityContextNeed).includes(n)) {
        throw new Error(`policy rule GH-SECURITY-CONTEXT-EXCEPTIONS: need "${n}" is not a SecurityContextNeed: use PRIVILEGED, SECCOMP_UNCONFINED, APPARMOR_UNCONFINED or PRIVILEGE_ESCALATION`);
      }
    }
    super({
      id: 'GH-SECURITY-CONTEXT-EXCEPTIONS',
      severity: props.severity ?? PolicySeverity.WARNING,
      message: `no step needs ${needs.map(word).join(', ')} beyond the least-privilege security context`,
      fix: 'build without the exception (e.g. rootless BuildKit on Kubernetes), or ask the pack approvers for a waiver scoped to the step',
    });
    this.needs = needs.map(word);
  }

  public evaluate(document: PipelineDocument): PolicyViolationLocation[] {
    const doc = document.content;
    const engine = doc.pipeline.engine?.name;
    const platform = engine !== undefined ? ENGINE_PLATFORMS[engine] : undefined;
    const out: PolicyViolationLocation[] = [];
    for (const s of steps(doc)) {
      (s.step.platformForms ?? []).forEach((f, i) => {
        if (platform !== undefined && f.platform !== platform) return;
        const hit = (f.securityContext?.needs ?? []).filter((n) => this.needs.includes(n));
        if (hit.length === 0) return;
        out.push({
          path: `${s.path}/platformForms/${i}/securityContext`,
          detail: `step "${s.stage.name}/${s.step.name}" needs ${hit.join(', ')} on ${f.platform}: ${f.securityContext!.reason}`,
        });
      });
    }
    return out;
  }
}
