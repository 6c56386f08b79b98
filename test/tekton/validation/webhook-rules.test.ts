import { issuesAfter, T } from './fixture';
import { declaredParamsRule } from '../../../src/tekton/validation/declared-params';
import { declaredWorkspacesRule } from '../../../src/tekton/validation/declared-workspaces';
import { finallyRunAfterRule } from '../../../src/tekton/validation/finally-run-after';
import { noCyclesRule } from '../../../src/tekton/validation/no-cycles';
import { onErrorRetriesRule } from '../../../src/tekton/validation/on-error-retries';
import { onErrorValuesRule } from '../../../src/tekton/validation/on-error-values';
import { runAfterExistsRule } from '../../../src/tekton/validation/run-after-exists';
import { stepNamesRule } from '../../../src/tekton/validation/step-names';
import { taskNamesRule } from '../../../src/tekton/validation/task-names';
import { taskRefOrSpecRule } from '../../../src/tekton/validation/task-ref-or-spec';
import { uniqueTaskNamesRule } from '../../../src/tekton/validation/unique-task-names';
import { variableRootsRule } from '../../../src/tekton/validation/variable-roots';
import { whenOperatorsRule } from '../../../src/tekton/validation/when-operators';

const object = 'Pipeline "django-devsecops"';

test('task-names: fails a task name that is not a DNS-1123 label', () => {
  const issues = issuesAfter(taskNamesRule, ({ pipeline }) => (pipeline.spec.tasks[T.build].name = 'Build_Step'));
  expect(issues).toEqual([{ object, field: 'spec.tasks[1].name', message: expect.stringContaining('"Build_Step" is not a DNS-1123 label') }]);
});

test('step-names: fails two steps of a task with the same name', () => {
  const issues = issuesAfter(stepNamesRule, ({ pipeline }) => (pipeline.spec.tasks[T.oast].taskSpec.steps[1].name = 'run'));
  expect(issues).toEqual([{ object, field: 'spec.tasks[3].taskSpec.steps[1].name', message: expect.stringContaining('declared twice') }]);
});

test('unique-task-names: fails a finally task named like a task', () => {
  const issues = issuesAfter(uniqueTaskNamesRule, ({ pipeline }) => {
    pipeline.spec.finally = [{ ...pipeline.spec.tasks[T.build], runAfter: undefined }];
  });
  expect(issues).toEqual([{ object, field: 'spec.finally[0].name', message: expect.stringContaining('"build-build" is already used by spec.tasks[1]') }]);
});

test('task-ref-or-spec: fails a task with both taskRef and taskSpec, and one with neither', () => {
  const issues = issuesAfter(taskRefOrSpecRule, ({ pipeline }) => {
    pipeline.spec.tasks[T.build].taskRef = { name: 'build' };
    delete pipeline.spec.tasks[T.test].taskSpec;
  });
  expect(issues).toEqual([
    { object, field: 'spec.tasks[1].taskSpec', message: expect.stringContaining('has both taskRef and taskSpec') },
    { object, field: 'spec.tasks[2]', message: expect.stringContaining('has neither taskRef nor taskSpec') },
  ]);
});

test('run-after-exists: fails runAfter to a missing task and to itself', () => {
  const issues = issuesAfter(runAfterExistsRule, ({ pipeline }) => {
    pipeline.spec.tasks[T.test].runAfter = ['biuld-build'];
    pipeline.spec.tasks[T.prod].runAfter = ['prod-deploy'];
  });
  expect(issues).toEqual([
    { object, field: 'spec.tasks[2].runAfter[0]', message: expect.stringContaining('unknown task "biuld-build"') },
    { object, field: 'spec.tasks[6].runAfter[0]', message: expect.stringContaining('runs after itself') },
  ]);
});

test('no-cycles: fails a cycle through runAfter', () => {
  const issues = issuesAfter(noCyclesRule, ({ pipeline }) => (pipeline.spec.tasks[T.build].runAfter = ['clone', 'test-test']));
  expect(issues).toEqual([{ object, field: 'spec.tasks', message: expect.stringContaining('build-build -> test-test -> build-build') }]);
});

test('no-cycles: fails a cycle through a result reference', () => {
  const issues = issuesAfter(noCyclesRule, ({ pipeline }) => {
    pipeline.spec.tasks[T.clone].params.push({ name: 'x', value: '$(tasks.build-build.results.exit-code)' });
  });
  expect(issues).toEqual([{ object, field: 'spec.tasks', message: expect.stringContaining('cycle') }]);
});

test('declared-params: fails an undeclared pipeline param and an undeclared task param', () => {
  const issues = issuesAfter(declaredParamsRule, ({ pipeline }) => {
    pipeline.spec.tasks[T.clone].params[1].value = '$(params.branch)';
    pipeline.spec.tasks[T.build].taskSpec.steps[0].script += 'echo $(params.target)\n';
  });
  expect(issues).toEqual([
    { object, field: 'spec.tasks[0].params[1].value', message: expect.stringContaining('param "branch", which the pipeline does not declare') },
    { object, field: 'spec.tasks[1].taskSpec.steps[0].script', message: expect.stringContaining('param "target"') },
  ]);
});

test('declared-workspaces: fails a binding to an undeclared pipeline workspace and an undeclared task workspace', () => {
  const issues = issuesAfter(declaredWorkspacesRule, ({ pipeline }) => {
    pipeline.spec.tasks[T.build].workspaces[0].workspace = 'src';
    pipeline.spec.tasks[T.test].taskSpec.steps[0].workingDir = '$(workspaces.cache.path)';
  });
  expect(issues).toEqual([
    { object, field: 'spec.tasks[1].workspaces[0].workspace', message: expect.stringContaining('binds workspace "src"') },
    { object, field: 'spec.tasks[2].taskSpec.steps[0].workingDir', message: expect.stringContaining('workspace "cache"') },
  ]);
});

test('finally-run-after: fails a finally task with runAfter', () => {
  const issues = issuesAfter(finallyRunAfterRule, ({ pipeline }) => (pipeline.spec.finally = [{ name: 'notify', runAfter: ['prod-deploy'], taskSpec: {} }]));
  expect(issues).toEqual([{ object, field: 'spec.finally[0].runAfter', message: expect.stringContaining('finally task "notify" has runAfter') }]);
});

test('when-operators: fails an operator other than in/notin, and a when without values', () => {
  const issues = issuesAfter(whenOperatorsRule, ({ pipeline }) => {
    pipeline.spec.tasks[T.prod].when = [{ input: '$(params.revision)', operator: 'equals', values: ['main'] }, { input: 'a', operator: 'in', values: [] }];
  });
  expect(issues).toEqual([
    { object, field: 'spec.tasks[6].when[0].operator', message: expect.stringContaining('"equals" is not allowed') },
    { object, field: 'spec.tasks[6].when[1].values', message: expect.stringContaining('no values') },
  ]);
});

test('on-error-values: fails an onError value Tekton does not know, on a task and on a step', () => {
  const issues = issuesAfter(onErrorValuesRule, ({ pipeline }) => {
    pipeline.spec.tasks[T.integration].onError = 'ignore';
    pipeline.spec.tasks[T.oast].taskSpec.steps[0].onError = 'fail';
  });
  expect(issues).toEqual([
    { object, field: 'spec.tasks[4].onError', message: expect.stringContaining('"ignore" is not an onError value') },
    { object, field: 'spec.tasks[3].taskSpec.steps[0].onError', message: expect.stringContaining('"fail"') },
  ]);
});

test('on-error-retries: fails a pipeline task that continues on error and retries', () => {
  const issues = issuesAfter(onErrorRetriesRule, ({ pipeline }) => {
    pipeline.spec.tasks[T.integration].onError = 'continue';
    pipeline.spec.tasks[T.integration].retries = 2;
  });
  expect(issues).toEqual([{ object, field: 'spec.tasks[4].retries', message: expect.stringContaining('onError "continue" and retries') }]);
});

test('variable-roots: fails a pipeline-level variable with an unknown root', () => {
  const issues = issuesAfter(variableRootsRule, ({ pipeline }) => (pipeline.spec.tasks[T.clone].params[0].value = '$(inputs.params.url)'));
  expect(issues).toEqual([{ object, field: 'spec.tasks[0].params[0].value', message: expect.stringContaining('$(inputs.params.url) is not a pipeline variable') }]);
});
