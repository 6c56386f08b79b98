import { CLONE_TASK, COMMIT_RESULT, REVISION_PARAM, SOURCE_WORKSPACE, URL_PARAM } from './names';
import { RenderOptions } from './options';
import { secureStepTemplate, TEMPLATE_VOLUMES } from './security';
import * as tk from '../imports/tekton.dev';

/** Timeout of the clone task, in minutes. */
export const CLONE_TIMEOUT_MINUTES = 10;

/**
 * The first task: a shallow fetch of the revision into the source workspace. The URL and
 * revision reach the script as environment variables, never as script text.
 */
export function clonePipelineTask(options: RenderOptions): tk.PipelineSpecTasks {
  return {
    name: CLONE_TASK,
    timeout: `${CLONE_TIMEOUT_MINUTES}m`,
    params: [
      { name: 'url', value: `$(params.${URL_PARAM})` },
      { name: 'revision', value: `$(params.${REVISION_PARAM})` },
    ],
    workspaces: [{ name: SOURCE_WORKSPACE, workspace: SOURCE_WORKSPACE }],
    taskSpec: cloneTaskSpec(options),
  };
}

/** The spec of the clone task. */
export function cloneTaskSpec(options: RenderOptions): tk.TaskSpec {
  return {
    params: [
      { name: 'url', type: 'string', description: 'clone URL' },
      { name: 'revision', type: 'string', description: 'branch, tag or commit' },
    ],
    workspaces: [{ name: SOURCE_WORKSPACE }],
    results: [{ name: COMMIT_RESULT, type: 'string', description: 'the commit checked out' }],
    volumes: TEMPLATE_VOLUMES,
    stepTemplate: secureStepTemplate(options),
    steps: [
      {
        name: 'clone',
        image: options.cloneImage,
        env: [
          { name: 'URL', value: '$(params.url)' },
          { name: 'REVISION', value: '$(params.revision)' },
        ],
        script: [
          '#!/bin/sh',
          'set -eu',
          'git config --global --add safe.directory "$PWD"',
          'git init -q .',
          'git remote add origin "$URL" 2>/dev/null || git remote set-url origin "$URL"',
          'git fetch -q --depth 1 origin "$REVISION"',
          'git checkout -q --force FETCH_HEAD',
          `printf '%s' "$(git rev-parse HEAD)" > "$(results.${COMMIT_RESULT}.path)"`,
        ].join('\n') + '\n',
      },
    ],
  };
}
