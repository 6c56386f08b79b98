import { collector, CircleCiModelRule, CONFIG_PARAMETER, CONTEXT_NAME, ENV_VAR_NAME, stepPath } from './types';
import { CommandStep } from '../../core';

const PLAIN_PATH = /^[A-Za-z0-9._/*?[\]@+,=:-]+$/;

/**
 * A command step's secrets are contexts and their variables (names only), its paths are plain
 * relative paths the job's shell can expand, and nothing CircleCI would read as a parameter.
 */
export const commandStepsRule: CircleCiModelRule = (pipeline) => {
  const { issues, add } = collector();
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof CommandStep)) continue;
      const where = stepPath(stage.name, step.name);
      for (const s of step.secrets) {
        if (!CONTEXT_NAME.test(s.secretName)) {
          add(where, `secret "${s.variable}" names "${s.secretName}", which is not a CircleCI context name (letters, digits, ".", "_", "-"): name the context that holds the variable`);
        }
        if (s.key !== undefined && !ENV_VAR_NAME.test(s.key)) {
          add(where, `secret "${s.variable}" key "${s.key}" is not an environment variable name, and a context holds variables: name the context variable (letters, digits, "_")`);
        }
      }
      const paths: Array<[string, string]> = [
        ...step.reports.flatMap((r) => r.paths.map((p) => [`report "${r.name}"`, p] as [string, string])),
        ...step.outputs.flatMap((o) => o.paths.map((p) => [`output artifact "${o.name}"`, p] as [string, string])),
      ];
      for (const [what, p] of paths) {
        if (!PLAIN_PATH.test(p) || p.startsWith('/') || p.startsWith('-') || p.split('/').includes('..')) {
          add(where, `${what} path "${p}" is not a plain path under the source root: use a relative path without spaces, "..", or shell characters other than the globs * ? [ ]`);
        }
      }
      const texts: Array<[string, string]> = [
        ...step.commands.map((c, i) => [`command ${i + 1}`, c] as [string, string]),
        ...Object.entries(pipeline.envOf(step)).map(([k, v]) => [`env "${k}"`, v] as [string, string]),
      ];
      for (const [what, text] of texts) {
        const m = CONFIG_PARAMETER.exec(text);
        if (m) add(where, `${what} holds "${m[0]}", which CircleCI 2.1 reads as a parameter when it compiles the config: write it as "\\${m[0]}" for the literal text`);
      }
    }
  }
  return issues;
};
