export { pipelineDiagram, gateLine, STAGE_COLOURS } from './model';
export type { Diagram, DiagramNode, DiagramNodeKind, DiagramStage } from './model';
export { diagramToDot, diagramToMermaid, pipelineToDot, pipelineToMermaid } from './text';
