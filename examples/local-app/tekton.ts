import * as fs from 'fs';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { tekton } from 'gatehouse';
import { localAppPipeline } from './pipeline';

/** The local example on Tekton: `orders-api.k8s.yaml` (the Pipeline), `orders-api-run.k8s.yaml` (a PipelineRun). */
export function synth(outdir: string): string[] {
  const pipeline = localAppPipeline();
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const engine = new tekton.TektonEngine(new Chart(app, pipeline.name), 'Tekton', { pipeline, runScope: new Chart(app, `${pipeline.name}-run`) });
  app.synth();
  return fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).sort().map((f) => (f.endsWith(`-${pipeline.name}.k8s.yaml`) ? `${f} (${engine.taskNames.length} tasks)` : f));
}

if (require.main === module) synth(process.env.CDK8S_OUTDIR ?? 'dist');
