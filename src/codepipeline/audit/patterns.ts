import { callerOutside } from './principals';

/*
 * The EventBridge event patterns of a pipeline's audit trail and alerts, as plain JSON (tokens
 * allowed): CodePipeline's own state-change events (source `aws.codepipeline`) and the CodePipeline
 * API calls CloudTrail records (detail-type `AWS API Call via CloudTrail`), each filtered on this
 * one pipeline. Shapes: docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
 * and docs.aws.amazon.com/codepipeline/latest/userguide/monitoring-cloudtrail-logs.html.
 */

/** CodePipeline's state-change events, every one of which the trail keeps. */
export const STATE_CHANGE_TYPES = [
  'CodePipeline Pipeline Execution State Change',
  'CodePipeline Stage Execution State Change',
  'CodePipeline Action Execution State Change',
];

/** detail-type of the API calls CloudTrail hands to EventBridge. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * The API calls on a pipeline the trail keeps: who started, stopped, retried, rolled back or
 * changed it, who answered an approval, who opened or closed a transition.
 */
export const AUDITED_CALLS = [
  'StartPipelineExecution',
  'StopPipelineExecution',
  'RetryStageExecution',
  'RollbackStage',
  'OverrideStageCondition',
  'PutApprovalResult',
  'DisableStageTransition',
  'EnableStageTransition',
  'UpdatePipeline',
  'DeletePipeline',
];

/** Where CloudFormation's own calls come from (`sourceIPAddress`, set by AWS, not by the caller). */
export const CLOUDFORMATION_SOURCE = 'cloudformation.amazonaws.com';

/** Every state change of the pipeline's executions, stages and actions (approvals included). */
export function stateChangePattern(pipelineName: string): object {
  return {
    'source': ['aws.codepipeline'],
    'detail-type': STATE_CHANGE_TYPES,
    'detail': { pipeline: [pipelineName] },
  };
}

/**
 * The audited API calls on the pipeline. The calls name it in different fields: `name`
 * (StartPipelineExecution, DeletePipeline), `pipelineName` (StopPipelineExecution,
 * PutApprovalResult, RetryStageExecution, RollbackStage, OverrideStageCondition, transitions),
 * `pipeline.name` (UpdatePipeline).
 */
export function apiCallsPattern(pipelineName: string): object {
  return cloudTrailPattern(AUDITED_CALLS, {
    $or: [
      { requestParameters: { name: [pipelineName] } },
      { requestParameters: { pipelineName: [pipelineName] } },
      { requestParameters: { pipeline: { name: [pipelineName] } } },
    ],
  });
}

/** A run of the pipeline started (StartPipelineExecution) by a caller other than `users` and `roles`. */
export function startedByOtherPattern(pipelineName: string, account: string, users: string[], roles: string[]): object {
  return cloudTrailPattern(['StartPipelineExecution'], {
    requestParameters: { name: [pipelineName] },
    $or: callerOutside(account, users, roles),
  });
}

/** An answer to one approval action (PutApprovalResult) by a caller other than `users` and `roles`. */
export function approvedByOtherPattern(
  pipelineName: string,
  stageName: string,
  actionName: string,
  account: string,
  users: string[],
  roles: string[],
): object {
  return cloudTrailPattern(['PutApprovalResult'], {
    requestParameters: { pipelineName: [pipelineName], stageName: [stageName], actionName: [actionName] },
    $or: callerOutside(account, users, roles),
  });
}

/**
 * The pipeline's definition changed or deleted by a call that did not come from CloudFormation.
 * `sourceIPAddress` is what AWS records for a call a service made on someone's behalf; the
 * `userAgent` is whatever the caller sent, so it proves nothing.
 */
export function changedOutsideCloudFormationPattern(pipelineName: string): object {
  return cloudTrailPattern(['UpdatePipeline', 'DeletePipeline'], {
    sourceIPAddress: [{ 'anything-but': [CLOUDFORMATION_SOURCE] }],
    $or: [{ requestParameters: { name: [pipelineName] } }, { requestParameters: { pipeline: { name: [pipelineName] } } }],
  });
}

function cloudTrailPattern(eventNames: string[], detail: object): object {
  return {
    'source': ['aws.codepipeline'],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    'detail': { eventSource: ['codepipeline.amazonaws.com'], eventName: eventNames, ...detail },
  };
}
