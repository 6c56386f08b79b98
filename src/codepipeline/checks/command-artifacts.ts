import { CommandStep, ScanStep } from '../../core';
import { TEST_REPORT_FORMATS } from '../command-project';
import { recordsFailure } from '../step-strategies';
import { CodePipelineRule, collector, MAX_ACTION_INPUTS, MAX_ACTION_OUTPUTS, MAX_REPORT_GROUPS, stepPath } from './context';

/**
 * What a CodeBuild action reads and writes fits CodePipeline: at most 5 inputs and 5 outputs, 5
 * report groups; a gated scan's findings kept as a report the gate can read; chains result paths
 * plain.
 */
export const commandArtifactsRule: CodePipelineRule = ({ model }) => {
  const { issues, add } = collector();
  for (const stage of model.stages) {
    for (const step of stage.steps) {
      if (!(step instanceof CommandStep)) continue;
      const where = stepPath(stage.name, step.name);
      const kept = step.reports.filter((r) => !TEST_REPORT_FORMATS[r.format ?? 'OTHER']);
      if (step instanceof ScanStep) {
        const keptPaths = new Set(kept.flatMap((r) => r.paths));
        for (const f of step.findingsReports) {
          if ((step.gate || stage.gate) && !keptPaths.has(f)) {
            add(where, `report "${f}" is kept only as a test report (JUnit/Cucumber), which the gate cannot read from a report group: declare it with another format`);
          }
        }
        for (const r of step.chainsResults) {
          if (!/^[A-Za-z0-9._/-]+$/.test(r.path)) {
            add(where, `chains result ${r.name} path "${r.path}" has spaces or shell characters: use a plain relative path`);
          }
        }
      }
      if (step.inputs.length + 1 > MAX_ACTION_INPUTS) {
        add(where, `reads ${step.inputs.length} artifacts besides the source, but a CodeBuild action takes ${MAX_ACTION_INPUTS} inputs in all: read at most ${MAX_ACTION_INPUTS - 1}`);
      }
      const outputs = step.outputs.length + (kept.length > 0 || recordsFailure(step) ? 1 : 0);
      if (outputs > MAX_ACTION_OUTPUTS) {
        add(
          where,
          `needs ${outputs} output artifacts (${step.outputs.length} outputs${outputs > step.outputs.length ? ' + 1 for kept reports and status' : ''}), ` +
            `but a CodeBuild action takes ${MAX_ACTION_OUTPUTS}: merge outputs`,
        );
      }
      const tests = step.reports.length - kept.length;
      if (tests > MAX_REPORT_GROUPS) {
        add(where, `has ${tests} JUnit/Cucumber reports, but a buildspec names at most ${MAX_REPORT_GROUPS} report groups: merge reports`);
      }
    }
  }
  return issues;
};
