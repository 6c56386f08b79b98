import { collector, stepPath, TektonModelRule } from './types';
import { CommandStep, SecurityContextNeed, StepPlatform } from '../../core';

/** A command step runs under the restricted pod security, reads Secrets key by key, and keeps reports under the source. */
export const commandStepsRule: TektonModelRule = (pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof CommandStep)) continue;
      const where = stepPath(stage.name, step.name);
      if (step.privileged) {
        add(
          where,
          'is privileged, which the restricted pod security Tekton steps run under forbids: build images rootless (e.g. security.ImageBuild, rootless BuildKit) and drop privileged; ' +
            'a step that needs more than the restricted context says so with a typed SecurityContextException in its StepPlatform.KUBERNETES form',
        );
      }
      const exception = step.formFor(StepPlatform.KUBERNETES)?.securityContext;
      if (exception?.has(SecurityContextNeed.PRIVILEGED)) {
        add(where, `has a KUBERNETES security-context exception asking for a privileged container (${exception.reason}): Tekton does not render privileged steps; use a rootless builder (seccomp and AppArmor unconfined, privilege escalation) instead`);
      }
      for (const s of step.secrets) {
        if (s.key === undefined || s.key.length === 0) {
          add(where, `secret "${s.variable}" has no key: a Kubernetes Secret is read one key at a time, so give the key inside secret "${s.secretName}"`);
        }
      }
      for (const r of step.reports) {
        for (const p of r.paths) {
          if (/\s/.test(p) || p.length === 0 || p.startsWith('/') || p.split('/').includes('..')) {
            add(where, `report "${r.name}" path "${p}" is not a relative path without spaces: give a path under the source root`);
          }
        }
      }
    }
  }
  return issues;
};
