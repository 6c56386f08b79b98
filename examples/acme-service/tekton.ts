import { Chart } from 'cdk8s';
import { acmeK8sApp, acmeTekton } from '@acme/gatehouse-blueprint';
import { ordersPipeline } from './pipeline';

/** `npm run demo`: the orders pipeline on Tekton, in the App Acme hands out. */
export function synth(outdir: string): string[] {
  const app = acmeK8sApp({ outdir });
  acmeTekton(new Chart(app, 'orders'), 'Tekton', ordersPipeline());
  app.synth();
  return ['orders.k8s.yaml, policy-report.json and pipeline.json'];
}

if (require.main === module) synth(process.env.CDK8S_OUTDIR ?? 'dist');
