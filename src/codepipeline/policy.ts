import { Annotations, attachCustomSynthesis, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DEFAULT_GATE_IMAGE, Pipeline } from '../core';
import { CODEBUILD_GATE_IMAGE } from './images';
import { checkPolicyBeforeRender, policyFileNames, policyWarningLines, recheckPolicy, writePolicyFiles } from '../policy/engine-check';

const OUTPUTS = Symbol.for('gatehouse.codepipeline.policyOutputs');

/**
 * The policy check of the CodePipeline engine: evaluates the packs of the pipeline and of the
 * tree (App, Stage, Stack) before rendering (throws one error listing every violation), records
 * warnings as CDK warning annotations, checks again at synth when packs were attached later,
 * and writes `pipeline.json` and `policy-report.json` into the cloud assembly.
 */
export function enforceCodePipelinePolicy(engine: Construct, pipeline: Pipeline): void {
  // the gates of a pipeline keeping the default gate image run in CodeBuild's managed image: the
  // document says so, and lists it as managed (taken by name only)
  const managedGate = pipeline.hasGates() && pipeline.gateImage === DEFAULT_GATE_IMAGE;
  const options = { engine: 'codepipeline', ...(managedGate ? { gateImage: CODEBUILD_GATE_IMAGE, managedImages: [CODEBUILD_GATE_IMAGE] } : {}) };
  let result = checkPolicyBeforeRender(engine, pipeline, options);
  policyWarningLines(result.report).forEach((line, i) => {
    const v = result.report.warnings[i];
    Annotations.of(engine).addWarningV2(`gatehouse:policy:${v.pack}:${v.ruleId}:${v.path}`, line);
  });
  engine.node.addValidation({
    validate: () => {
      const again = recheckPolicy(engine, pipeline, options, result);
      result = again.result;
      return again.problem ? [again.problem] : [];
    },
  });
  // every engine of one assembly (an App or a nested Stage) counts to name the files
  const stage = Stage.of(engine);
  if (!stage) return;
  let names: string[] = (stage as any)[OUTPUTS];
  if (!names) {
    names = [];
    Object.defineProperty(stage, OUTPUTS, { value: names, enumerable: false });
  }
  const index = names.push(pipeline.name) - 1;
  attachCustomSynthesis(engine, {
    onSynthesize: (session) => {
      writePolicyFiles(session.outdir, result, policyFileNames(names)[index]);
    },
  });
}
