import { Construct } from 'constructs';
import { Pipeline } from '../core';
import { checkPolicyBeforeRender, EnginePolicyResult, policyFileNames, policyWarningLines, recheckPolicy, writePolicyFiles } from '../policy/engine-check';

const OUTPUTS = Symbol.for('gatehouse.tekton.policyOutputs');

interface Output {
  readonly pipelineName: string;
  current(): EnginePolicyResult;
}

/**
 * The policy check of the Tekton engine: evaluates the packs of the pipeline and of the tree
 * before rendering (throws one error listing every violation), prints warnings once, checks
 * again at synth when packs were attached later, and writes `pipeline.json` and
 * `policy-report.json` beside the charts' YAML when the app is synthesized to its outdir.
 */
export function enforceTektonPolicy(engine: Construct, pipeline: Pipeline, cloneImage: string): void {
  const options = { engine: 'tekton', cloneImage };
  let result = checkPolicyBeforeRender(engine, pipeline, options);
  for (const line of policyWarningLines(result.report)) console.warn(`[${engine.node.path}] ${line}`);
  engine.node.addValidation({
    validate: () => {
      const again = recheckPolicy(engine, pipeline, options, result);
      result = again.result;
      return again.problem ? [again.problem] : [];
    },
  });
  outputsOf(engine)?.push({ pipelineName: pipeline.name, current: () => result });
}

/** The engines writing into the app's outdir, registered with a `synth` that writes their files. */
function outputsOf(engine: Construct): Output[] | undefined {
  const app = engine.node.root as any;
  if (typeof app.synth !== 'function' || typeof app.outdir !== 'string') return undefined;
  let outputs: Output[] | undefined = app[OUTPUTS];
  if (!outputs) {
    const list: Output[] = [];
    outputs = list;
    Object.defineProperty(app, OUTPUTS, { value: list, enumerable: false });
    const synth = app.synth.bind(app);
    app.synth = () => {
      synth();
      const names = policyFileNames(list.map((o) => o.pipelineName));
      list.forEach((o, i) => writePolicyFiles(app.outdir, o.current(), names[i]));
    };
  }
  return outputs;
}
