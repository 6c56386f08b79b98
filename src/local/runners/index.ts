import { ContainerRunner } from './container';
import { HostRunner } from './host';
import { LocalRunnerKind, Runner, StepPlan } from './runner';

export * from './runner';

/**
 * The runner of a run: `host`; `container` (throws, listing every problem, when no runtime
 * answers or an image cannot be had); `auto`: the container runner when it can be prepared,
 * else the host runner, whose note says why.
 */
export function chooseRunner(kind: string, plans: StepPlan[], env: { [name: string]: string | undefined }, runtime?: string): Runner {
  const images = [...new Set(plans.map((p) => p.image))];
  if (kind === LocalRunnerKind.HOST) return new HostRunner(images);
  if (kind !== LocalRunnerKind.CONTAINER && kind !== LocalRunnerKind.AUTO) {
    throw new Error(`runner "${kind}" is not one of host, container, auto: choose one`);
  }
  if (plans.length === 0) return new HostRunner(images);
  const prepared = ContainerRunner.prepare(plans, env, runtime);
  if (!('problems' in prepared)) return prepared;
  if (kind === LocalRunnerKind.CONTAINER) {
    throw new Error(`runner container cannot run this pipeline: ${prepared.problems.join('; ')}; or use --runner host`);
  }
  return new HostRunner(images, `auto: ${prepared.problems.join('; ')}`);
}
