import { collector, GitHubModelRule, stepPath } from './types';
import { CommandStep, ReportFormat } from '../../core';
import { RESERVED_ARTIFACT_PREFIXES } from '../render/names';

/** What GitHub takes as a secret name. */
export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A file path or glob the keep script can expand: no spaces or shell characters. */
const PLAIN_PATH = /^[A-Za-z0-9._/*?-]+$/;

/**
 * A command step is what a container job can run: an image pinned by digest, secrets as whole
 * GitHub secrets by a valid name, plain report and artifact paths (SARIF ones without globs: code
 * scanning takes a file), and artifact names the engine does not use itself.
 */
export const commandStepsRule: GitHubModelRule = (pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof CommandStep)) continue;
      const where = stepPath(stage.name, step.name);
      const image = pipeline.imageOf(step);
      if (!/@sha256:[0-9a-f]{64}$/.test(image)) {
        add(where, `image "${image}" is not pinned by digest: a tag can be moved between runs; give the image as name@sha256:<digest>`);
      }
      for (const s of step.secrets) {
        if (!SECRET_NAME.test(s.secretName) || /^GITHUB_/i.test(s.secretName)) {
          add(where, `secret "${s.variable}" names secret "${s.secretName}", which is not a GitHub secret name: use letters, digits and "_", not starting with a digit or GITHUB_`);
        }
        if (s.key !== undefined) {
          add(where, `secret "${s.variable}" reads key "${s.key}" of secret "${s.secretName}", and a GitHub secret holds one value: store that value in its own secret and drop key`);
        }
      }
      for (const r of step.reports) {
        for (const p of r.paths) {
          if (!PLAIN_PATH.test(p) || p.startsWith('/') || p.split('/').includes('..')) {
            add(where, `report "${r.name}" path "${p}" is not a plain relative path: give a path under the source root without spaces or shell characters`);
          } else if (r.format === ReportFormat.SARIF && /[*?]/.test(p)) {
            add(where, `SARIF report "${r.name}" path "${p}" is a glob, and code scanning uploads one file: name the file`);
          }
        }
      }
      for (const o of step.outputs) {
        if (RESERVED_ARTIFACT_PREFIXES.some((prefix) => o.name.startsWith(prefix))) {
          add(where, `output artifact "${o.name}" starts with ${RESERVED_ARTIFACT_PREFIXES.map((x) => `"${x}"`).join(' or ')}, which the engine's own artifacts use: rename it`);
        }
        for (const p of o.paths) {
          if (!PLAIN_PATH.test(p) || p.startsWith('/') || p.split('/').includes('..')) {
            add(where, `output artifact "${o.name}" path "${p}" is not a plain relative path: give a path under the source root without spaces or shell characters`);
          }
        }
      }
    }
  }
  return issues;
};
