import { AcmeTarget, acmeServicePipeline } from '@acme/gatehouse-blueprint';

/** The orders service's pipeline: Acme's blueprint with its own build, test and deploy. */
export function ordersPipeline(target: AcmeTarget = AcmeTarget.TEKTON) {
  return acmeServicePipeline({
    name: 'orders',
    repository: 'orders',
    target,
    build: ['pip install -r requirements.txt', 'python -m compileall src'],
    test: ['pip install -r requirements.txt', 'python -m pytest'],
    deploy: ['./deploy.sh prod'],
  });
}
