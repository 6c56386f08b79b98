import { issuesAfter, T } from './fixture';
import { pipelineRunRefsRule } from '../../../src/tekton/validation/pipeline-run-refs';
import { referencedTasksRule } from '../../../src/tekton/validation/referenced-tasks';
import { restrictedStepsRule } from '../../../src/tekton/validation/restricted-steps';
import { resultRefsRule } from '../../../src/tekton/validation/result-refs';
import { taskParamsRule } from '../../../src/tekton/validation/task-params';
import { taskWorkspacesRule } from '../../../src/tekton/validation/task-workspaces';

const object = 'Pipeline "django-devsecops"';
const run = 'PipelineRun "django-devsecops-run-…"';

describe('referenced-tasks', () => {
  test('fails a taskRef to a Task that is not emitted', () => {
    const issues = issuesAfter(referencedTasksRule, ({ pipeline }) => {
      delete pipeline.spec.tasks[T.build].taskSpec;
      pipeline.spec.tasks[T.build].taskRef = { name: 'python-build' };
    });
    expect(issues).toEqual([{ object, field: 'spec.tasks[1].taskRef', message: expect.stringContaining('Task "python-build", which is not emitted') }]);
  });

  test('fails an unknown custom task, a ClusterTask and a resolver reference', () => {
    const issues = issuesAfter(referencedTasksRule, ({ pipeline }) => {
      pipeline.spec.tasks[T.approval].taskRef = { apiVersion: 'example.com/v1', kind: 'Wait' };
      pipeline.spec.tasks[T.build].taskRef = { kind: 'ClusterTask', name: 'build' };
      pipeline.spec.tasks[T.test].taskRef = { resolver: 'git', params: [] };
    });
    expect(issues).toEqual([
      { object, field: 'spec.tasks[1].taskRef', message: expect.stringContaining('ClusterTask, which tekton.dev/v1 removed') },
      { object, field: 'spec.tasks[2].taskRef', message: expect.stringContaining('resolver "git", which cannot be checked at synth') },
      { object, field: 'spec.tasks[5].taskRef', message: expect.stringContaining('custom task example.com/v1 Wait') },
    ]);
  });
});

describe('task-params', () => {
  test('fails a param the task does not declare, and a missing required param', () => {
    const issues = issuesAfter(taskParamsRule, ({ pipeline }) => {
      pipeline.spec.tasks[T.clone].params[1].name = 'branch';
    });
    expect(issues).toEqual([
      { object, field: 'spec.tasks[0].params[1]', message: expect.stringContaining('param "branch" is not declared by its taskSpec') },
      { object, field: 'spec.tasks[0].params', message: expect.stringContaining('does not pass param "revision"') },
    ]);
  });

  test('fails ApprovalTask approvers passed as a string instead of an array', () => {
    const issues = issuesAfter(taskParamsRule, ({ pipeline }) => (pipeline.spec.tasks[T.approval].params[0].value = 'group:release-managers'));
    expect(issues).toEqual([{ object, field: 'spec.tasks[5].params[0]', message: expect.stringContaining('passed as a string but ApprovalTask declares an array') }]);
  });

  test('fails an ApprovalTask without approvers', () => {
    const issues = issuesAfter(taskParamsRule, ({ pipeline }) => pipeline.spec.tasks[T.approval].params.shift());
    expect(issues).toEqual([{ object, field: 'spec.tasks[5].params', message: expect.stringContaining('does not pass param "approvers"') }]);
  });
});

describe('result-refs', () => {
  test('fails a reference to a result the task does not declare', () => {
    const issues = issuesAfter(resultRefsRule, ({ pipeline }) => (pipeline.spec.results[0].value = '$(tasks.clone.results.sha)'));
    expect(issues).toEqual([{ object, field: 'spec.results[0].value', message: expect.stringContaining('result "sha", which task "clone" does not declare (it has commit)') }]);
  });

  test('fails a reference to a task that does not exist', () => {
    const issues = issuesAfter(resultRefsRule, ({ pipeline }) => (pipeline.spec.results[1].value = '$(tasks.safety.results.exit-code)'));
    expect(issues).toEqual([{ object, field: 'spec.results[1].value', message: expect.stringContaining('task "safety", which is not in spec.tasks') }]);
  });

  test('fails a step writing an undeclared result, and a reference to a step the task does not have', () => {
    const issues = issuesAfter(resultRefsRule, ({ pipeline }) => {
      const spec = pipeline.spec.tasks[T.oast].taskSpec;
      spec.results = [];
      spec.steps[1].script = spec.steps[1].script.replace('step-run', 'step-scan');
    });
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      ['spec.results[1].value', expect.stringContaining('result "exit-code", which task "oast-safety" does not declare (it has none)')],
      ['spec.tasks[3].taskSpec.steps[1].script', expect.stringContaining('names step "scan"')],
      ['spec.tasks[3].taskSpec.steps[1].script', expect.stringContaining('result "exit-code", which the task does not declare')],
    ]);
  });
});

describe('task-workspaces', () => {
  test('fails a task workspace left unbound, and a binding the task does not declare', () => {
    const issues = issuesAfter(taskWorkspacesRule, ({ pipeline }) => {
      pipeline.spec.tasks[T.oast].workspaces.pop();
      pipeline.spec.tasks[T.build].workspaces.push({ name: 'reports', workspace: 'reports' });
    });
    expect(issues).toEqual([
      { object, field: 'spec.tasks[1].workspaces[1].name', message: expect.stringContaining('binds workspace "reports", which its taskSpec does not declare') },
      { object, field: 'spec.tasks[3].workspaces', message: expect.stringContaining('does not bind workspace "reports"') },
    ]);
  });
});

describe('pipeline-run-refs', () => {
  test('fails a run of a Pipeline that is not emitted', () => {
    const issues = issuesAfter(pipelineRunRefsRule, ({ run: r }) => (r.spec.pipelineRef.name = 'django'));
    expect(issues).toEqual([{ object: run, field: 'spec.pipelineRef.name', message: expect.stringContaining('Pipeline "django", which is not emitted') }]);
  });

  test('fails a run missing a required param, passing an unknown one, and leaving a workspace unbound', () => {
    const issues = issuesAfter(pipelineRunRefsRule, ({ run: r }) => {
      r.spec.params[1].name = 'branch';
      r.spec.workspaces.pop();
    });
    expect(issues).toEqual([
      { object: run, field: 'spec.params[1]', message: expect.stringContaining('param "branch" is not declared') },
      { object: run, field: 'spec.params', message: expect.stringContaining('param "revision" is required') },
      { object: run, field: 'spec.workspaces', message: expect.stringContaining('workspace "reports" of the pipeline is not bound') },
    ]);
  });

  test('fails a run as a ServiceAccount that is not emitted', () => {
    const issues = issuesAfter(pipelineRunRefsRule, ({ run: r }) => (r.spec.taskRunTemplate.serviceAccountName = 'default'));
    expect(issues).toEqual([{ object: run, field: 'spec.taskRunTemplate.serviceAccountName', message: expect.stringContaining('ServiceAccount "default"') }]);
  });
});

describe('restricted-steps', () => {
  test('fails a step that overrides the template to run privileged as root', () => {
    const issues = issuesAfter(restrictedStepsRule, ({ pipeline }) => {
      pipeline.spec.tasks[T.prod].taskSpec.steps[0].securityContext = { privileged: true, runAsUser: 0, runAsNonRoot: false };
    });
    expect(issues.map((i) => i.field)).toEqual([
      'spec.tasks[6].taskSpec.steps[0].securityContext.runAsNonRoot',
      'spec.tasks[6].taskSpec.steps[0].securityContext.runAsUser',
      'spec.tasks[6].taskSpec.steps[0].securityContext.privileged',
    ]);
  });

  test('fails a task without a restricted step template or resource limits', () => {
    const issues = issuesAfter(restrictedStepsRule, ({ pipeline }) => delete pipeline.spec.tasks[T.build].taskSpec.stepTemplate);
    expect(issues.map((i) => i.field.replace('spec.tasks[1].taskSpec.steps[0].', ''))).toEqual([
      'securityContext.runAsNonRoot',
      'securityContext.allowPrivilegeEscalation',
      'securityContext.capabilities.drop',
      'securityContext.seccompProfile.type',
      'computeResources.requests.cpu',
      'computeResources.requests.memory',
      'computeResources.limits.cpu',
      'computeResources.limits.memory',
    ]);
  });

  test('fails a step that loads a whole Secret with envFrom', () => {
    const issues = issuesAfter(restrictedStepsRule, ({ pipeline }) => (pipeline.spec.tasks[T.prod].taskSpec.steps[0].envFrom = [{ secretRef: { name: 'prod' } }]));
    expect(issues).toEqual([{ object, field: 'spec.tasks[6].taskSpec.steps[0].envFrom', message: expect.stringContaining('secretKeyRef') }]);
  });
});
