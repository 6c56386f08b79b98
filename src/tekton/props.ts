import { Construct } from 'constructs';
import { Pipeline } from '../core';

/** CPU and memory of every step (Kubernetes quantities such as `250m`, `512Mi`). */
export interface StepResources {
  /**
   * CPU requested by each step.
   * @default '250m'
   */
  readonly cpuRequest?: string;
  /**
   * Memory requested by each step.
   * @default '256Mi'
   */
  readonly memoryRequest?: string;
  /**
   * Most CPU a step may use.
   * @default '1'
   */
  readonly cpuLimit?: string;
  /**
   * Most memory a step may use; a step using more is killed.
   * @default '1Gi'
   */
  readonly memoryLimit?: string;
}

/** Properties of the Tekton engine. */
export interface TektonEngineProps {
  /** The pipeline to render. */
  readonly pipeline: Pipeline;
  /**
   * A CloudEvents sink (http or https URL, e.g. a Knative broker or an EventListener in the
   * cluster) every gate also POSTs its audit event to (`dev.gatehouse.gate.decided`,
   * schemas/audit-event.schema.json). The event is written beside the gate's other outputs in the
   * reports workspace either way. For the Tekton controller's own CloudEvents (TaskRun and
   * PipelineRun state changes), set `default-cloud-events-sink` in the `config-defaults` ConfigMap
   * (docs/audit.md).
   * @default - no sink: the events stay in the reports workspace
   */
  readonly auditEventsUrl?: string;
  /**
   * Where the PipelineRun goes: put it in its own chart to `kubectl create` it once per run
   * while the Pipeline is `kubectl apply`-ed.
   * @default - the engine's own scope
   */
  readonly runScope?: Construct;
  /**
   * User id every step runs as (never root).
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * CPU and memory of every step.
   * @default - see StepResources
   */
  readonly stepResources?: StepResources;
  /**
   * Image of the clone step; it needs `git` and `sh`, and must run as a non-root user.
   * @default TektonEngine.DEFAULT_CLONE_IMAGE
   */
  readonly cloneImage?: string;
  /**
   * Size of the source volume created for each run.
   * @default '1Gi'
   */
  readonly workspaceSize?: string;
  /**
   * Storage class of the volumes created for each run.
   * @default - the cluster's default storage class
   */
  readonly storageClassName?: string;
  /**
   * Existing PersistentVolumeClaim the reports are copied to (kept after the run is deleted).
   * @default - a new volume per run, deleted with the PipelineRun
   */
  readonly reportsClaimName?: string;
  /**
   * Secret with git credentials (annotated `tekton.dev/git-0`) for private repositories; it is
   * attached to the runner ServiceAccount.
   * @default - none: the repository is public
   */
  readonly sourceSecretName?: string;
  /**
   * The Secret holding the webhook secret of the repository's push and pull-request webhooks
   * (GitHub or GitLab). With it, the engine renders a Tekton Triggers EventListener whose
   * interceptor verifies each delivery with the secret, by reference (the value never appears).
   * Needed for pull-request triggers; without it, pushes start no run by themselves.
   * @default - no EventListener
   */
  readonly webhookSecret?: TektonWebhookSecret;
  /**
   * Image of the CronJobs that create the runs of schedules: it needs `kubectl` and runs as a
   * non-root user with a read-only root filesystem. Pin it by digest in production.
   * @default TektonEngine.DEFAULT_SCHEDULER_IMAGE
   */
  readonly schedulerImage?: string;
}

/** Where the webhook secret is: a Secret the platform creates in the pipeline's namespace. */
export interface TektonWebhookSecret {
  /** Name of the Secret. */
  readonly secretName: string;
  /**
   * Key of the webhook secret in it.
   * @default 'secret'
   */
  readonly secretKey?: string;
}
