import { GatePolicy } from './gate-policy';
import { Pipeline } from './pipeline';
import { ScanStep } from './scan-step';
import { TrustSource } from './trust-source';

/** One gate of a pipeline and where it runs: `stage "x" > step "y" > gate` or `stage "x" > stage gate`. */
export interface PlacedGatePolicy {
  readonly where: string;
  readonly policy: GatePolicy;
}

/** Every gate policy of a pipeline, in stage and step order (a scan's gate, then its stage's gate). */
export function gatePoliciesOf(pipeline: Pipeline): PlacedGatePolicy[] {
  const out: PlacedGatePolicy[] = [];
  for (const stage of pipeline.stages) {
    for (const step of stage.steps) {
      if (step instanceof ScanStep && step.gate) out.push({ where: `stage "${stage.name}" > step "${step.name}" > gate`, policy: step.gate });
    }
    if (stage.gate) out.push({ where: `stage "${stage.name}" > stage gate`, policy: stage.gate });
  }
  return out;
}

/** The trust sources of a gate policy with the field that names each (`trustedKeys`, `trustedVex[0]`). */
export function trustSourcesOf(policy: GatePolicy): Array<{ field: string; source: TrustSource }> {
  return [
    ...(policy.trustedKeys ? [{ field: 'trustedKeys', source: policy.trustedKeys }] : []),
    ...policy.trustedVex.map((source, i) => ({ field: `trustedVex[${i}]`, source })),
  ];
}
