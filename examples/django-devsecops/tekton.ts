import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { tekton } from 'gatehouse';
import { djangoDevSecOps } from './pipeline';

/**
 * The seed pipeline on Tekton: `<name>.k8s.yaml` holds the Pipeline, its ServiceAccount and the
 * approvers' Role (`kubectl apply -f`), `<name>-run.k8s.yaml` one PipelineRun (`kubectl create -f`).
 */
export function synth(outdir: string): string[] {
  const pipeline = djangoDevSecOps();
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const chart = new Chart(app, pipeline.name);
  const runChart = new Chart(app, `${pipeline.name}-run`);
  const engine = new tekton.TektonEngine(chart, 'Tekton', { pipeline, runScope: runChart });
  app.synth();
  return fs
    .readdirSync(outdir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const kinds = (fs.readFileSync(path.join(outdir, f), 'utf8').match(/^kind: .+$/gm) ?? []).map((k) => k.slice(6));
      return `${f}: ${kinds.join(', ')}` + (kinds.includes('Pipeline') ? ` (${engine.taskNames.length} tasks)` : '');
    });
}

// `npx cdk8s synth` (cdk8s.yaml) runs this file: the YAML goes to its output folder (dist by default)
if (require.main === module) {
  for (const line of synth(process.env.CDK8S_OUTDIR ?? 'dist')) console.error(line);
}
