import { renderSvg } from './svg';
import { Pipeline } from '../core/pipeline';

export { dotToSvg, renderGraph, renderSvg } from './svg';

/** Pictures of a pipeline, drawn from the model alone (no engine). */
export class PipelineDiagram {
  /** The pipeline as an SVG document (Graphviz, compiled to WebAssembly, runs in-process). */
  public static async svg(pipeline: Pipeline): Promise<string> {
    return renderSvg(pipeline);
  }

  /** The pipeline as Graphviz DOT (`pipeline.toDot()`). */
  public static dot(pipeline: Pipeline): string {
    return pipeline.toDot();
  }

  /** The pipeline as a Mermaid flowchart (`pipeline.toMermaid()`). */
  public static mermaid(pipeline: Pipeline): string {
    return pipeline.toMermaid();
  }

  private constructor() {}
}
