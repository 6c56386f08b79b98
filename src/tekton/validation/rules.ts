import { configMapRefsRule } from './configmap-refs';
import { coreSchemaRule } from './core-schema';
import { crdSchemaRule } from './crd-schema';
import { declaredParamsRule } from './declared-params';
import { declaredWorkspacesRule } from './declared-workspaces';
import { embeddedSpecSchemaRule } from './embedded-spec-schema';
import { finallyRunAfterRule } from './finally-run-after';
import { noCyclesRule } from './no-cycles';
import { onErrorRetriesRule } from './on-error-retries';
import { onErrorValuesRule } from './on-error-values';
import { pipelineRunRefsRule } from './pipeline-run-refs';
import { referencedTasksRule } from './referenced-tasks';
import { restrictedStepsRule } from './restricted-steps';
import { resultRefsRule } from './result-refs';
import { runAfterExistsRule } from './run-after-exists';
import { scheduledRunsRule } from './scheduled-runs';
import { stepNamesRule } from './step-names';
import { taskNamesRule } from './task-names';
import { taskParamsRule } from './task-params';
import { taskRefOrSpecRule } from './task-ref-or-spec';
import { taskWorkspacesRule } from './task-workspaces';
import { triggerParamsRule } from './trigger-params';
import { triggerRefsRule } from './trigger-refs';
import { triggerSecretsRule } from './trigger-secrets';
import { TektonRule } from './types';
import { uniqueTaskNamesRule } from './unique-task-names';
import { variableRootsRule } from './variable-roots';
import { volumeMountsRule } from './volume-mounts';
import { whenOperatorsRule } from './when-operators';

/** (a) what the API server checks: the CRD schemas, embedded specs included. */
export const SCHEMA_RULES: TektonRule[] = [crdSchemaRule, embeddedSpecSchemaRule, coreSchemaRule];

/** (b) what Tekton's admission webhook rejects. */
export const WEBHOOK_RULES: TektonRule[] = [
  taskNamesRule,
  stepNamesRule,
  uniqueTaskNamesRule,
  taskRefOrSpecRule,
  runAfterExistsRule,
  noCyclesRule,
  declaredParamsRule,
  declaredWorkspacesRule,
  finallyRunAfterRule,
  whenOperatorsRule,
  onErrorValuesRule,
  onErrorRetriesRule,
  variableRootsRule,
];

/** What the Tekton Triggers webhook does not check (its CRDs carry no schema), and the schedules' CronJobs. */
export const TRIGGER_RULES: TektonRule[] = [triggerRefsRule, triggerSecretsRule, triggerParamsRule, scheduledRunsRule];

/** (c) what Tekton finds out only at run time, and gatehouse's security baseline. */
export const RUNTIME_RULES: TektonRule[] = [
  referencedTasksRule,
  taskParamsRule,
  resultRefsRule,
  taskWorkspacesRule,
  pipelineRunRefsRule,
  volumeMountsRule,
  configMapRefsRule,
  restrictedStepsRule,
];

/** Every rule, in the order issues are reported. */
export const ALL_RULES: TektonRule[] = [...SCHEMA_RULES, ...WEBHOOK_RULES, ...RUNTIME_RULES, ...TRIGGER_RULES];
