import { CommandStep, SecurityContextNeed, StepPlatform } from '../../core';
import { codeBuildShell } from '../command-project';
import { CodePipelineRule, collector, MAX_CODEBUILD_MINUTES, MIN_CODEBUILD_MINUTES, stepPath } from './context';

/** A command step runs in CodeBuild: a shell CodeBuild can start, cache folders under the source, timeouts in range. */
export const commandRuntimeRule: CodePipelineRule = ({ model }) => {
  const { issues, add } = collector();
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof CommandStep)) continue;
      const where = stepPath(stage.name, step.name);
      if (!codeBuildShell(step.shell)) {
        add(
          where,
          `runs its commands with ${step.shell}, but CodeBuild runs buildspec commands with /bin/sh (or bash) and cannot start this image: ` +
            'use an image that has /bin/sh (for a distroless -debug image, a variant with a shell, e.g. ScannerImage.of(...) of one)',
        );
      }
      const exception = step.formFor(StepPlatform.CODEBUILD)?.securityContext;
      const unsupported = (exception?.needs ?? []).filter((n) => n !== SecurityContextNeed.PRIVILEGED);
      if (unsupported.length > 0 || exception?.runAsUser !== undefined) {
        add(
          where,
          `has a CODEBUILD security-context exception asking for ${[...unsupported, ...(exception?.runAsUser !== undefined ? [`runAsUser ${exception.runAsUser}`] : [])].join(', ')}, ` +
            'which CodeBuild cannot set one by one: its only exception is privileged mode (SecurityContextNeed.PRIVILEGED)',
        );
      }
      for (const d of step.cacheDirs) {
        if (!/^[A-Za-z0-9._/-]+$/.test(d) || d.startsWith('/') || d.split('/').includes('..')) {
          add(where, `cache dir "${d}" is not a plain path inside the source folder: CodeBuild caches folders under the source root only; use a relative path such as .gatehouse/cache/<tool>`);
        }
      }
      const timeout = model.timeoutOf(step);
      const attempts = step.retries + 1;
      if (timeout < MIN_CODEBUILD_MINUTES) {
        add(where, `timeoutMinutes ${timeout} is below CodeBuild's minimum of ${MIN_CODEBUILD_MINUTES}: use at least ${MIN_CODEBUILD_MINUTES}`);
      } else if (timeout * attempts > MAX_CODEBUILD_MINUTES) {
        add(where, `timeoutMinutes ${timeout} × ${attempts} attempts exceeds CodeBuild's ${MAX_CODEBUILD_MINUTES}-minute limit for one build: lower the timeout or the retries`);
      }
    }
  }
  return issues;
};
