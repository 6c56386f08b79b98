import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { Pipeline, pipelineValidationError, TriggerKind, ValidationIssue } from '../core';
import { tektonIssues } from './check/rules';
import * as tk from './imports/tekton.dev';
import { enforceTektonPolicy } from './policy';
import { TektonEngineProps } from './props';
import { DEFAULT_CLONE_IMAGE, resolveOptions } from './render/options';
import { plainJson } from './render/plain-json';
import { renderPipeline } from './render/render';
import { DEFAULT_SCHEDULER_IMAGE, renderSchedules } from './render/schedules';
import { renderTriggers } from './render/triggers';
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

  /** Default image of the CronJobs that start scheduled runs (`kubectl`; pin it by digest in production). */
  public static readonly DEFAULT_SCHEDULER_IMAGE: string = DEFAULT_SCHEDULER_IMAGE;

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
    const issues = [...TektonEngine.check(props.pipeline), ...triggerPropIssues(this, props)];
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

    // what starts runs besides a person: the EventListener of git triggers, CronJobs of schedules
    const labels = { 'app.kubernetes.io/part-of': props.pipeline.name, 'app.kubernetes.io/managed-by': 'gatehouse' };
    const git = props.pipeline.triggers.some((t) => t.kind === TriggerKind.PUSH || t.kind === TriggerKind.PULL_REQUEST);
    if (props.webhookSecret && git) {
      const secret = { secretName: props.webhookSecret.secretName, secretKey: props.webhookSecret.secretKey ?? 'secret' };
      for (const body of renderTriggers(props.pipeline, rendered.pipelineRun, secret, Chart.of(this).namespace!, labels).objects) {
        this.track(new ApiObject(this, `${body.kind}-${body.metadata.name}`, body as any));
      }
    }
    for (const body of renderSchedules(props.pipeline, rendered.pipelineRun, options, props.schedulerImage ?? DEFAULT_SCHEDULER_IMAGE, labels)) {
      this.track(new ApiObject(this, `${body.kind}-${body.metadata.name}`, body as any));
    }

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

/** What the engine's props keep from rendering the pipeline's triggers. */
function triggerPropIssues(scope: Construct, props: TektonEngineProps): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const p = props.pipeline;
  const pr = p.triggers.some((t) => t.kind === TriggerKind.PULL_REQUEST);
  if (pr && !props.webhookSecret) {
    out.push({ path: `pipeline "${p.name}"`, message: 'has a pull request trigger, which on Tekton needs an EventListener verifying the webhook: pass webhookSecret (the Secret holding the webhook secret)' });
  }
  if (props.webhookSecret) {
    const name = props.webhookSecret.secretName;
    if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
      out.push({ path: `pipeline "${p.name}"`, message: `webhookSecret.secretName ${JSON.stringify(name)} is not a Secret name: use lowercase letters, digits, "-" and "."` });
    }
    const key = props.webhookSecret.secretKey ?? 'secret';
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) out.push({ path: `pipeline "${p.name}"`, message: `webhookSecret.secretKey ${JSON.stringify(key)} is not a Secret key: use letters, digits, "-", "_" and "."` });
    if (!Chart.of(scope).namespace) {
      out.push({ path: `pipeline "${p.name}"`, message: 'renders an EventListener, whose ServiceAccount is bound to read ClusterInterceptors by a ClusterRoleBinding that names its namespace: give the chart a namespace' });
    }
  }
  const image = props.schedulerImage;
  if (image !== undefined && (image.trim().length === 0 || /\s/.test(image))) {
    out.push({ path: `pipeline "${p.name}"`, message: `schedulerImage "${image}" is not an image reference: give one such as "${DEFAULT_SCHEDULER_IMAGE}"` });
  }
  return out;
}
