import type { Pipeline } from '../core/pipeline';

/** The part of @viz-js/viz (Graphviz compiled to WebAssembly) this module uses. */
interface VizInstance {
  renderString(dot: string, options: { format: string; engine?: string }): string;
}

let viz: Promise<VizInstance> | undefined;

/** One Graphviz instance per process: loading the WebAssembly module is the slow part. */
function graphviz(): Promise<VizInstance> {
  // the package is an ES module with a CommonJS build: required, so the library stays CommonJS
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  viz ??= (require('@viz-js/viz') as { instance(): Promise<VizInstance> }).instance();
  return viz;
}

/** Renders Graphviz DOT to a standalone SVG document, in-process (no binary, no browser). */
export async function dotToSvg(dot: string): Promise<string> {
  const v = await graphviz();
  try {
    return v.renderString(dot, { format: 'svg', engine: 'dot' });
  } catch (e) {
    throw new Error(`graphviz cannot draw the pipeline graph: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The picture of a (valid) pipeline as an SVG document: `pipeline.toDot()`, drawn by Graphviz. */
export async function renderSvg(pipeline: Pipeline): Promise<string> {
  return dotToSvg(pipeline.toDot());
}

/** The pipeline picture in the three formats the CLI writes. */
export type GraphFormat = 'svg' | 'mermaid' | 'dot';

/** The picture of `pipeline` in `format`. */
export async function renderGraph(pipeline: Pipeline, format: GraphFormat): Promise<string> {
  if (format === 'dot') return pipeline.toDot();
  if (format === 'mermaid') return pipeline.toMermaid();
  return renderSvg(pipeline);
}
