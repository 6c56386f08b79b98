import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { Pipeline, pipelineValidationError, ValidationIssue } from '../core';
import { tektonIssues } from './check/rules';
import * as tk from './imports/tekton.dev';
import { enforceTektonPolicy } from './policy';
import { TektonEngineProps } from './props';
import { DEFAULT_CLONE_IMAGE, resolveOptions } from './render/options';
import { plainJson } from './render/plain-json';
import { renderPipeline } from './render/render';
import { formatIssue, validateManifests } from './validation/validate';

/**
 * Renders a gatehouse pipeline to Tekton v1 inside a cdk8s Chart: a Pipeline whose tasks embed
 * their specs, a PipelineRun (clone URL and revision as params, a fresh source volume), a runner
 * ServiceAccount with no API access, the Role and RoleBinding that let the approvers answer
 * the approvals, and, when scans are gated, the ConfigMap shipping the bundled gatehouse gate (and
 * one holding the gates' inline trust sources). Every object is validated at synth: CRD schemas (embedded specs included),
 * Tekton's admission webhook rules, and what Tekton would only find out at run time.
 */
export class TektonEngine extends Construct {
  /** Default image of the clone step. */
  public static readonly DEFAULT_CLONE_IMAGE: string = DEFAULT_CLONE_IMAGE;

  /**
   * Every issue that keeps `pipeline` from rendering on Tekton, without rendering it: the model's
   * rules (names included) and what Tekton cannot express. Empty when the engine would render
   * it; else the engine refuses with exactly these issues.
   */
  public static check(pipeline: Pipeline): ValidationIssue[] {
    if (!(pipeline instanceof Pipeline)) {
      throw new Error('TektonEngine.check needs a gatehouse Pipeline');
    }
    return tektonIssues(pipeline);
  }

  /** Name of the Tekton Pipeline (the model pipeline's name). */
  public readonly pipelineName: string;
  /** Name of the ServiceAccount the TaskRun pods run as. */
  public readonly serviceAccountName: string;
  /** Pipeline task names, the clone first, in DAG order. */
  public readonly taskNames: string[];
  /** The Pipeline object (escape hatch: `addJsonPatch`). */
  public readonly pipelineObject: ApiObject;
  /** The PipelineRun object. */
  public readonly pipelineRunObject: ApiObject;
  /**
   * The ConfigMap shipping the bundled gatehouse gate (`gatehouse.js`, gzip-compressed, sha256
   * in an annotation), when a scan step or stage is gated; applied with the Pipeline.
   */
  public readonly gateConfigMapObject?: ApiObject;
  /**
   * The immutable ConfigMap holding the gates' inline trust sources (trusted keys, trusted VEX),
   * named with a hash of its content, when a gate has any; applied with the Pipeline.
   */
  public readonly trustConfigMapObject?: ApiObject;

  private readonly emitted: ApiObject[] = [];
  private readonly rendered = new Map<ApiObject, any>();
  private issues?: string[];

  constructor(scope: Construct, id: string, props: TektonEngineProps) {
    super(scope, id);
    const options = resolveOptions(props);
    if (!(props.pipeline instanceof Pipeline)) {
      throw new Error('TektonEngine needs a gatehouse Pipeline in props.pipeline');
    }
    // one pass over the model's rules and Tekton's limits, before anything renders
    const issues = TektonEngine.check(props.pipeline);
    if (issues.length > 0) throw pipelineValidationError(props.pipeline.name, issues, 'Tekton');
    // the engine reads the model once: later changes would be missing from the output
    props.pipeline._freeze(`TektonEngine "${this.node.path}"`);
    // the packs of the pipeline and of the App/Chart, over the document, before anything renders
    enforceTektonPolicy(this, props.pipeline, options.cloneImage);
    const rendered = renderPipeline(props.pipeline, options);
    this.pipelineName = props.pipeline.name;
    this.serviceAccountName = rendered.rbac.serviceAccount.metadata.name;
    this.taskNames = rendered.taskNames;

    // typed with the generated props; written by plainJson, which emits what the generated classes
    // would (a test checks it) without their per-field conversion cost
    if (rendered.gateConfigMap) {
      this.gateConfigMapObject = this.track(new ApiObject(this, 'GateConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', ...rendered.gateConfigMap }));
    }
    if (rendered.trustConfigMap) {
      this.trustConfigMapObject = this.track(new ApiObject(this, 'TrustConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', ...rendered.trustConfigMap }));
    }
    this.pipelineObject = this.track(new ApiObject(this, 'Pipeline', { ...tk.Pipeline.GVK, ...plainJson(rendered.pipeline) }));
    if (this.gateConfigMapObject) {
      this.pipelineObject.addDependency(this.gateConfigMapObject);
    }
    if (this.trustConfigMapObject) {
      this.pipelineObject.addDependency(this.trustConfigMapObject);
    }
    const sa = this.track(new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', ...rendered.rbac.serviceAccount }));
    if (rendered.rbac.approverRole && rendered.rbac.approverRoleBinding) {
      const role = this.track(new ApiObject(this, 'ApproverRole', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', ...rendered.rbac.approverRole }));
      const binding = this.track(new ApiObject(this, 'ApproverRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        ...rendered.rbac.approverRoleBinding,
      }));
      binding.addDependency(role);
    }

    const runScope = props.runScope ?? this;
    const run = new ApiObject(runScope, runScope === this ? 'PipelineRun' : `${id}Run`, { ...tk.PipelineRun.GVK, ...plainJson(rendered.pipelineRun) });
    // a run is created once per execution: Kubernetes names it from generateName
    run.addJsonPatch(JsonPatch.remove('/metadata/name'));
    run.addDependency(this.pipelineObject, sa);
    this.pipelineRunObject = this.track(run);

    this.node.addValidation({ validate: () => this.validateOnce() });
  }

  /** Every object this engine emits, as it is written to YAML. */
  public toManifests(): any[] {
    return this.emitted.map((o) => o.toJson());
  }

  /**
   * Renders each object once per synth: validation and the YAML writer share the same JSON. A
   * JSON patch added later (escape hatch) renders and validates the objects again.
   */
  private track<T extends ApiObject>(o: T): T {
    this.emitted.push(o);
    const toJson = o.toJson.bind(o);
    const addJsonPatch = o.addJsonPatch.bind(o);
    o.toJson = () => {
      let json = this.rendered.get(o);
      if (json === undefined) {
        json = toJson();
        this.rendered.set(o, json);
      }
      return json;
    };
    o.addJsonPatch = (...ops: JsonPatch[]) => {
      this.rendered.clear();
      this.issues = undefined;
      addJsonPatch(...ops);
    };
    return o;
  }

  // cdk8s validates the whole app once per chart written: validate the objects once
  private validateOnce(): string[] {
    this.issues ??= validateManifests(this.toManifests()).map(formatIssue);
    return this.issues;
  }
}
