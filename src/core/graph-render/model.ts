import { ApprovalStep } from '../approval-step';
import { FailureStrategy, GatePolicy } from '../gate-policy';
import type { Pipeline } from '../pipeline';
import { ScanStep } from '../scan-step';
import { StageKind } from '../stage';

/** What a node of the picture stands for; each kind has its own shape. */
export type DiagramNodeKind = 'command' | 'scan' | 'approval' | 'stage-gate' | 'intervention';

/** One node of the picture: a step, a stage gate or a manual intervention. */
export interface DiagramNode {
  /** Identifier safe in DOT and Mermaid (`n0_1`…). */
  readonly id: string;
  readonly kind: DiagramNodeKind;
  /** The step's name (or `gate`, `intervention`). */
  readonly name: string;
  /** Lines shown under the name (scanner, gate, approvers…). */
  readonly details: string[];
}

/** One stage: a cluster of nodes. */
export interface DiagramStage {
  readonly id: string;
  readonly name: string;
  readonly kind: StageKind;
  readonly nodes: DiagramNode[];
  /** Edges inside the stage (runAfter, scan → gate → intervention). */
  readonly edges: Array<{ from: string; to: string; dashed?: boolean }>;
  /** Nodes nothing in the stage runs after: the stage ends with them. */
  readonly last: string[];
  /** Nodes that run after nothing in the stage: the stage starts with them. */
  readonly first: string[];
}

/** The picture of a pipeline, before it is written as DOT or Mermaid. */
export interface Diagram {
  readonly name: string;
  readonly stages: DiagramStage[];
  /** Stage DAG: `from` must finish before `to` starts. */
  readonly stageEdges: Array<{ from: string; to: string }>;
}

/** Fill colour of a stage cluster, by kind. */
export const STAGE_COLOURS: Record<StageKind, { fill: string; border: string }> = {
  [StageKind.BUILD]: { fill: '#e3f2fd', border: '#1e88e5' },
  [StageKind.TEST]: { fill: '#e8f5e9', border: '#43a047' },
  [StageKind.SECURITY]: { fill: '#fff3e0', border: '#ef6c00' },
  [StageKind.INTEGRATION]: { fill: '#f3e5f5', border: '#8e24aa' },
  [StageKind.APPROVAL]: { fill: '#fffde7', border: '#f9a825' },
  [StageKind.DEPLOY]: { fill: '#e0f2f1', border: '#00897b' },
};

/** `gate: fail on high · FAIL` (with the budgets and new-only when set). */
export function gateLine(gate: GatePolicy): string {
  const budgets = Object.entries(gate.budgets)
    .filter(([, n]) => n !== undefined)
    .map(([s, n]) => `${s}≤${n}`);
  const parts = [`fail on ${gate.failOn}`, ...(budgets.length ? [`budget ${budgets.join(' ')}`] : []), ...(gate.newOnly ? ['new only'] : []), gate.failureStrategy];
  return `gate: ${parts.join(' · ')}`;
}

/**
 * The picture of a valid pipeline: stages in dependency order, their steps, the gates of scan
 * steps and stages, manual interventions, and the edges of both DAGs.
 */
export function pipelineDiagram(pipeline: Pipeline): Diagram {
  const graph = pipeline.graph();
  const order = graph.stageOrder();
  const stageIds = new Map<string, DiagramStage>();
  const stages = order.map((stage, si) => {
    const nodes: DiagramNode[] = [];
    const edges: DiagramStage['edges'] = [];
    const stepIds = new Map<string, string>();
    const ends = new Set<string>();
    stage.steps.forEach((step, i) => {
      const id = `n${si}_${i}`;
      stepIds.set(step.name, id);
      if (step instanceof ScanStep) {
        nodes.push({ id, kind: 'scan', name: step.name, details: [`${step.scanner === step.name ? '' : `${step.scanner} · `}${step.category.toLowerCase()} scan`, step.gate ? gateLine(step.gate) : 'not gated: report only'] });
      } else if (step instanceof ApprovalStep) {
        const who = step.approvers.map((a) => a.name).join(', ');
        nodes.push({ id, kind: 'approval', name: step.name, details: [`approval by ${who}${step.requiredApprovals > 1 ? ` (${step.requiredApprovals} needed)` : ''}`] });
      } else {
        nodes.push({ id, kind: 'command', name: step.name, details: [] });
      }
    });
    for (const step of stage.steps) {
      for (const dep of graph.stepDependencies(stage.name, step.name)) edges.push({ from: stepIds.get(dep)!, to: stepIds.get(step.name)! });
    }
    const depended = new Set(stage.steps.flatMap((s) => s.runAfter));
    for (const step of stage.steps) if (!depended.has(step.name)) ends.add(stepIds.get(step.name)!);
    // a manual intervention pauses after its gate: it follows the gated node
    const intervention = (after: string, gate: GatePolicy, key: string) => {
      if (gate.failureStrategy !== FailureStrategy.MANUAL_INTERVENTION) return;
      const id = `${after}_i${key}`;
      nodes.push({ id, kind: 'intervention', name: 'intervention', details: [`if the gate fails: ${gate.interventionApprovers.map((a) => a.name).join(', ')} decide`] });
      edges.push({ from: after, to: id, dashed: true });
      ends.delete(after);
      ends.add(id);
    };
    for (const step of stage.steps) if (step instanceof ScanStep && step.gate) intervention(stepIds.get(step.name)!, step.gate, '');
    if (stage.gate) {
      const id = `n${si}_gate`;
      nodes.push({ id, kind: 'stage-gate', name: 'stage gate', details: [gateLine(stage.gate), `over ${stage.gateScans().map((s) => s.name).join(', ')}`] });
      for (const scan of stage.gateScans()) {
        const from = stepIds.get(scan.name)!;
        const after = nodes.find((n) => n.id === `${from}_i`) ? `${from}_i` : from;
        edges.push({ from: after, to: id });
        ends.delete(after);
      }
      ends.add(id);
      intervention(id, stage.gate, '');
    }
    const targets = new Set(edges.map((e) => e.to));
    const d: DiagramStage = {
      id: `cluster_${si}`,
      name: stage.name,
      kind: stage.kind,
      nodes,
      edges,
      last: nodes.map((n) => n.id).filter((id) => ends.has(id)),
      first: nodes.map((n) => n.id).filter((id) => !targets.has(id)),
    };
    stageIds.set(stage.name, d);
    return d;
  });
  const stageEdges = order.flatMap((stage) =>
    graph.stageDependencies(stage.name).map((dep) => ({ from: stageIds.get(dep)!.id, to: stageIds.get(stage.name)!.id })),
  );
  return { name: pipeline.name, stages, stageEdges };
}
