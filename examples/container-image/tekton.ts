import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { security, tekton } from 'gatehouse';
import { containerImage } from './pipeline';

/** Kubernetes Secret holding the cosign key pair (`cosign.key`, `cosign.password`, `cosign.pub`). */
export const COSIGN_SECRET = 'hello-api-cosign';

/**
 * The container-image pipeline on Tekton: the image goes to ghcr.io (crane logs in with the
 * token of Secret `hello-api-registry`), cosign signs with the key pair of Secret
 * `hello-api-cosign` (`cosign generate-key-pair k8s://<namespace>/hello-api-cosign` creates it),
 * and every step runs as a non-root user under the restricted pod security standard.
 * `<name>.k8s.yaml` holds the Pipeline and what it needs (`kubectl apply -f`),
 * `<name>-run.k8s.yaml` one PipelineRun (`kubectl create -f`).
 */
export function synth(outdir: string): string[] {
  const pipeline = containerImage({ signingKey: security.CosignKey.kubernetesSecret(COSIGN_SECRET) });
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const chart = new Chart(app, pipeline.name);
  const runChart = new Chart(app, `${pipeline.name}-run`);
  const engine = new tekton.TektonEngine(chart, 'Tekton', {
    pipeline,
    runScope: runChart,
    // compiling ko and the service needs more than the default 1Gi
    stepResources: { memoryLimit: '2Gi' },
  });
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

if (require.main === module) {
  for (const line of synth(process.env.OUTDIR ?? 'dist')) console.error(line);
}
