import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { security, tekton } from 'gatehouse';
import { dockerfileImage } from './pipeline';

/** Kubernetes Secret holding the cosign key pair (`cosign.key`, `cosign.password`, `cosign.pub`). */
export const COSIGN_SECRET = 'web-cosign';

/**
 * The dockerfile-image pipeline on Tekton: the build runs rootless BuildKit (user 1000, seccomp
 * and AppArmor unconfined, privilege escalation: the typed exception of `ImageBuild`, annotated on
 * its task), every other step under the restricted pod security standard. The namespace's pod
 * security admission must allow Unconfined profiles for that task (level `privileged`).
 */
export function synth(outdir: string): string[] {
  const pipeline = dockerfileImage({ signingKey: security.CosignKey.kubernetesSecret(COSIGN_SECRET) });
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const chart = new Chart(app, pipeline.name);
  const runChart = new Chart(app, `${pipeline.name}-run`);
  const engine = new tekton.TektonEngine(chart, 'Tekton', { pipeline, runScope: runChart, stepResources: { memoryLimit: '2Gi' } });
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
