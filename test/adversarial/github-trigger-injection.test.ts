import * as YAML from 'yaml';
import { CommandStep, Pipeline, Source, Stage, Trigger, TriggerKind } from '../../src/core';
import { GitHubActionsEngine } from '../../src/github';
import { validateWorkflow } from '../../src/github/validation/rules';
import { IMAGE } from '../github/helpers';

// Branch, tag and path filters are text the app team chooses, and the workflow file is where
// GitHub reads both YAML and `${{ }}` expressions: a filter must stay a filter.
const src = Source.gitHub({ owner: 'acme', repository: 'app', branch: 'main' });
const stages = () => [Stage.buildStage('build', { steps: [new CommandStep({ name: 'a', commands: ['true'] })] })];

function pipelineWith(patterns: string[]): Pipeline {
  return new Pipeline({
    name: 'app',
    source: src,
    defaults: { image: IMAGE },
    triggers: [
      Trigger.push({ branches: patterns, branchesExclude: patterns, filePaths: patterns, filePathsExclude: patterns }),
      Trigger.push({ tags: patterns, tagsExclude: patterns }),
      Trigger.pullRequest({ targetBranches: patterns, targetBranchesExclude: patterns, filePathsExclude: patterns }),
    ],
    stages: stages(),
  });
}

describe('adversarial: trigger filters cannot inject expressions or YAML into a GitHub workflow', () => {
  test.each([
    '${{ secrets.DEPLOY_KEY }}',
    "main' }}${{ github.token",
    'main"',
    'main\n  workflow_run:',
    'main\r\n',
    '!main',
    'main # comment',
    'main: x',
    '[main]',
    '{a: b}',
    'main|x',
    'main&anchor',
  ])('fails on the filter %j, in every filter field, before anything is rendered', (pattern) => {
    const p = pipelineWith([pattern]);
    const issues = GitHubActionsEngine.check(p);
    expect(issues).toHaveLength(9);
    for (const i of issues) expect(i.message).toMatch(/holds characters filters may not use/);
    expect(() => new GitHubActionsEngine({ pipeline: p })).toThrow(/holds characters filters may not use/);
  });

  // every value here passes the model's filter alphabet and means something else to a YAML reader
  const YAML_SIGNIFICANT = ['*', '**', '*main', '**/x.py', '@main', '-main', '---', '...', '=', 'yes', 'no', 'on', 'off', 'true', 'null', 'NULL', '1e3', '0x1F', '0o17', '.inf', '.nan', '123', '1.0', '-1', '2024-01-01', '=main', 'a=b', 'y', 'n'];

  test('what passes the model is rendered single-quoted and read back exactly, by YAML 1.2 and 1.1 readers', () => {
    const engine = new GitHubActionsEngine({ pipeline: pipelineWith(YAML_SIGNIFICANT) });
    for (const version of ['1.2', '1.1'] as const) {
      // a YAML 1.1 reader takes the key `on` itself for `true` (GitHub reads it as on:)
      const doc = YAML.parse(engine.workflowYaml, { version });
      const on = version === '1.1' ? doc.true : doc.on;
      const negated = YAML_SIGNIFICANT.map((p) => `!${p}`);
      const both = [...YAML_SIGNIFICANT, ...negated];
      expect(on.push).toEqual({ branches: both, tags: both, paths: both });
      expect(on.pull_request).toEqual({ 'types': ['opened', 'reopened', 'synchronize'], 'branches': both, 'paths-ignore': YAML_SIGNIFICANT });
    }
    const onText = engine.workflowYaml.slice(engine.workflowYaml.indexOf('\non:'), engine.workflowYaml.indexOf('\npermissions:'));
    for (const line of onText.split('\n').filter((l) => l.trim().startsWith('- '))) expect(line).toMatch(/^\s+- '[^']*'$/);
    expect(validateWorkflow(YAML.parse(engine.workflowYaml))).toEqual([]);
  });

  test('"+" in a filter is escaped, so it cannot widen the match into a repetition', () => {
    const on = YAML.parse(new GitHubActionsEngine({ pipeline: pipelineWith(['c++', 'a+b']) }).workflowYaml).on;
    expect(on.push.branches).toEqual(['c\\+\\+', 'a\\+b', '!c\\+\\+', '!a\\+b']);
  });

  test('job conditions and the run context read only the event name, the run id and the commit: nothing of the event\'s payload (branch names, titles)', () => {
    const p = new Pipeline({
      name: 'app',
      source: src,
      defaults: { image: IMAGE },
      triggers: [Trigger.push({ branches: ['main'] }), Trigger.pullRequest({ targetBranches: ['main'] })],
      stages: [
        Stage.buildStage('build', { steps: [new CommandStep({ name: 'a', commands: ['true'] })] }),
        Stage.deployStage('prod', { environment: 'prod', steps: [new CommandStep({ name: 'd', commands: ['true'] })], onlyOn: [TriggerKind.PUSH] }),
      ],
    });
    const workflow = YAML.parse(new GitHubActionsEngine({ pipeline: p }).workflowYaml);
    const read = new Set<string>();
    for (const job of Object.values<any>(workflow.jobs)) {
      for (const text of [job.if ?? '', ...Object.values<string>(job.env)]) {
        for (const m of String(text).matchAll(/\bgithub\.[A-Za-z_.]+/g)) read.add(m[0]);
      }
    }
    expect([...read].sort()).toEqual(['github.event_name', 'github.run_attempt', 'github.run_id', 'github.sha']);
  });
});
