import { Diagram, DiagramNode, DiagramNodeKind, pipelineDiagram, STAGE_COLOURS } from './model';
import type { Pipeline } from '../pipeline';

/** DOT attributes of each kind of node. */
const DOT_SHAPES: Record<DiagramNodeKind, string> = {
  'command': 'shape=box, style="rounded,filled", fillcolor="#ffffff"',
  'scan': 'shape=box, style="filled", fillcolor="#ffffff", peripheries=2',
  'approval': 'shape=hexagon, style="filled", fillcolor="#fff59d"',
  'stage-gate': 'shape=octagon, style="filled", fillcolor="#ffe0b2"',
  'intervention': 'shape=diamond, style="filled", fillcolor="#ffcdd2"',
};

/** A DOT double-quoted string. */
function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function lines(node: DiagramNode): string[] {
  return [node.name, ...node.details];
}

/**
 * The pipeline as Graphviz DOT: stages as clusters coloured by kind, steps inside, scans with their
 * gate, approvals (hexagons), stage gates (octagons) and manual interventions (diamonds), the stage
 * DAG between clusters and `runAfter` edges inside them.
 */
export function diagramToDot(d: Diagram): string {
  const out: string[] = [];
  out.push(`digraph ${dotString(d.name)} {`);
  out.push(`  graph [rankdir=LR, compound=true, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.45, newrank=true, label=${dotString(`pipeline ${d.name}`)}, labelloc=t];`);
  out.push('  node [fontname="Helvetica", fontsize=10, margin="0.12,0.06", color="#424242"];');
  out.push('  edge [color="#616161", arrowsize=0.7];');
  for (const s of d.stages) {
    const c = STAGE_COLOURS[s.kind];
    out.push(`  subgraph ${s.id} {`);
    out.push(`    label=${dotString(`${s.name} (${s.kind.toLowerCase()})`)}; style="rounded,filled"; fillcolor="${c.fill}"; color="${c.border}"; penwidth=1.5; fontsize=12;`);
    for (const n of s.nodes) out.push(`    ${n.id} [${DOT_SHAPES[n.kind]}, label=${dotString(lines(n).join('\n'))}];`);
    for (const e of s.edges) out.push(`    ${e.from} -> ${e.to}${e.dashed ? ' [style=dashed]' : ''};`);
    out.push('  }');
  }
  const byId = new Map(d.stages.map((s) => [s.id, s]));
  for (const e of d.stageEdges) {
    const from = byId.get(e.from)!;
    const to = byId.get(e.to)!;
    out.push(`  ${from.last[0]} -> ${to.first[0]} [ltail=${from.id}, lhead=${to.id}, penwidth=1.5];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Mermaid node shapes: `[open, close]` around the quoted label. */
const MERMAID_SHAPES: Record<DiagramNodeKind, [string, string]> = {
  'command': ['(', ')'],
  'scan': ['[[', ']]'],
  'approval': ['{{', '}}'],
  'stage-gate': ['[/', '\\]'],
  'intervention': ['{', '}'],
};

/** A Mermaid quoted label: no quotes, no markup. */
function mermaidLabel(parts: string[]): string {
  const esc = (s: string) => s.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;').replace(/\r?\n/g, ' ');
  return `"${parts.map(esc).join('<br/>')}"`;
}

/** The same picture as a Mermaid flowchart (for Markdown documents that render Mermaid). */
export function diagramToMermaid(d: Diagram): string {
  const out: string[] = ['flowchart LR'];
  for (const s of d.stages) {
    out.push(`  subgraph ${s.id}[${mermaidLabel([`${s.name} (${s.kind.toLowerCase()})`])}]`);
    out.push('    direction LR');
    for (const n of s.nodes) {
      const [open, close] = MERMAID_SHAPES[n.kind];
      out.push(`    ${n.id}${open}${mermaidLabel(lines(n))}${close}`);
    }
    for (const e of s.edges) out.push(`    ${e.from} ${e.dashed ? '-.->' : '-->'} ${e.to}`);
    out.push('  end');
  }
  for (const e of d.stageEdges) out.push(`  ${e.from} --> ${e.to}`);
  for (const s of d.stages) {
    const c = STAGE_COLOURS[s.kind];
    out.push(`  style ${s.id} fill:${c.fill},stroke:${c.border}`);
  }
  return `${out.join('\n')}\n`;
}

/** `pipeline.toDot()`. */
export function pipelineToDot(pipeline: Pipeline): string {
  return diagramToDot(pipelineDiagram(pipeline));
}

/** `pipeline.toMermaid()`. */
export function pipelineToMermaid(pipeline: Pipeline): string {
  return diagramToMermaid(pipelineDiagram(pipeline));
}
