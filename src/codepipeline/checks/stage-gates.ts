import { gateId } from '../naming';
import { CodePipelineRule, collector, MAX_ACTION_INPUTS } from './context';
import { modelGates } from './gates';

/**
 * A stage gate reads every gated scan's reports as one CodeBuild action (at most 4 besides the
 * source), and its S3 keys (`<stage>-stage-gate`) are not those of a scan's gate.
 */
export const stageGatesRule: CodePipelineRule = ({ model }) => {
  const { issues, add } = collector();
  const gates = modelGates(model);
  const scanGateIds = new Map(gates.filter((g) => g.step).map((g) => [gateId(g.stage.name, g.step!.name), `stage "${g.stage.name}" > step "${g.step!.name}"`]));
  for (const g of gates) {
    if (g.step) continue;
    const scans = g.stage.gateScans();
    if (scans.length + 1 > MAX_ACTION_INPUTS) {
      add(
        g.path,
        `reads the reports of ${scans.length} scans (${scans.map((s) => s.name).join(', ')}) besides the source, but a CodeBuild action takes ${MAX_ACTION_INPUTS} inputs in all: ` +
          `gate at most ${MAX_ACTION_INPUTS - 1} scans per stage (split the stage, or rely on the scans' own gates)`,
      );
    }
    const id = gateId(g.stage.name);
    const other = scanGateIds.get(id);
    if (other) {
      add(g.path, `its summary and stored baseline would share the S3 keys of the gate of ${other} (both "${id}"): rename that stage or step`);
    }
  }
  return issues;
};
