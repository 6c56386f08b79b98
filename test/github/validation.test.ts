import { environmentsRule } from '../../src/github/validation/environments';
import { expressionsRule } from '../../src/github/validation/expressions';
import { jobIdsRule } from '../../src/github/validation/job-ids';
import { needsExistRule } from '../../src/github/validation/needs-exist';
import { noCyclesRule } from '../../src/github/validation/no-cycles';
import { permissionsRule } from '../../src/github/validation/permissions';
import { pinnedActionsRule } from '../../src/github/validation/pinned-actions';
import { validateWorkflow } from '../../src/github/validation/rules';
import { schemaRule } from '../../src/github/validation/schema';

const SHA = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1';

/** A small valid workflow; `jobs` replaces its jobs. */
function workflow(jobs: Record<string, any> = {}, top: Record<string, any> = {}): Record<string, any> {
  return {
    name: 'w',
    on: { push: { branches: ['main'] } },
    permissions: {},
    jobs: {
      a: { 'runs-on': 'ubuntu-24.04', 'permissions': { contents: 'read' }, 'outputs': { x: '${{ steps.s.outputs.x }}' }, 'steps': [{ uses: SHA }, { id: 's', run: 'echo x=1 >> "$GITHUB_OUTPUT"' }] },
      b: { 'needs': ['a'], 'runs-on': 'ubuntu-24.04', 'permissions': {}, 'steps': [{ run: 'echo', env: { X: '${{ needs.a.outputs.x }}' } }] },
      ...jobs,
    },
    ...top,
  };
}

describe('workflow validation', () => {
  test('a valid workflow passes every rule', () => {
    expect(validateWorkflow(workflow())).toEqual([]);
  });

  test('schema: fails on an unknown key and a wrong type, naming the field', () => {
    const w = workflow({ c: { 'runs-on': 'ubuntu-24.04', 'permissions': {}, 'timeout-minutes': 'soon', 'stepz': [], 'steps': [{ run: 'x' }] } });
    const issues = schemaRule.check(w);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => i.field)).toEqual(expect.arrayContaining([expect.stringMatching(/^jobs\.c/)]));
    expect(schemaRule.check({ ...workflow(), onn: {} }).map((i) => i.message)).toContain('must NOT have additional properties "onn"');
  });

  test('job ids: fails on an id starting with a digit or holding a dot', () => {
    expect(jobIdsRule.check(workflow({ '1st': { 'runs-on': 'x', 'steps': [] }, 'a.b': { 'runs-on': 'x', 'steps': [] } })).map((i) => i.field)).toEqual(['jobs.1st', 'jobs.a.b']);
  });

  test('needs: fails on a job that is not in the workflow, and on a job needing itself', () => {
    const w = workflow({ c: { 'needs': ['nope', 'c'], 'runs-on': 'x', 'steps': [] } });
    expect(needsExistRule.check(w).map((i) => i.message)).toEqual([
      'job "c" needs "nope", which is not a job of the workflow',
      'job "c" needs itself: remove it',
    ]);
  });

  test('no cycles: fails on a -> c -> a', () => {
    const w = workflow({ c: { 'needs': ['b'], 'runs-on': 'x', 'steps': [] } });
    w.jobs.a.needs = ['c'];
    expect(noCyclesRule.check(w).map((i) => i.message)).toEqual(['jobs form a cycle (a -> c -> b -> a): remove one of these needs']);
  });

  test('expressions: fails on an unclosed one, double quotes, unknown contexts and functions, needs not needed, later steps', () => {
    const w = workflow({
      c: {
        'runs-on': 'x',
        'permissions': {},
        'steps': [
          { run: 'echo ${{ github.sha' },
          { run: 'echo ${{ format("x") }}' },
          { run: 'echo ${{ secret.X }} ${{ eval(github.sha) }}' },
          { run: 'echo ${{ needs.a.outputs.x }} ${{ steps.later.outputs.y }}' },
          { id: 'later', run: 'echo' },
        ],
      },
    });
    expect(expressionsRule.check(w).map((i) => `${i.field}: ${i.message}`)).toEqual([
      'jobs.c.steps[0].run: "${{ github.sha…" opens an expression that never closes ("}}")',
      'jobs.c.steps[1].run: expression "${{ format("x") }}" uses double quotes: expressions take single-quoted strings',
      'jobs.c.steps[2].run: expression "${{ secret.X }}" reads "secret", which is not a context (github, env, vars, job, jobs, steps, runner, secrets, strategy, matrix, needs, inputs)',
      'jobs.c.steps[2].run: expression "${{ eval(github.sha) }}" calls "eval", which is not a function of GitHub expressions',
      'jobs.c.steps[3].run: expression "${{ needs.a.outputs.x }}" reads needs.a, and the job does not need "a"',
      'jobs.c.steps[3].run: expression "${{ steps.later.outputs.y }}" reads steps.later, which is no earlier step of the job',
    ]);
  });

  test('expressions: the literal form the engine writes for ${{ in commands passes', () => {
    expect(expressionsRule.check(workflow({ c: { 'runs-on': 'x', 'steps': [{ run: "echo ${{ '${{' }} x }}" }] } }))).toEqual([]);
  });

  test('environment jobs: fails on an approval job that waits for nothing, runs a container or an action, or holds permissions; and on a bad name', () => {
    const w = workflow({
      c: { 'runs-on': 'x', 'environment': { name: 'c' }, 'container': { image: 'i' }, 'permissions': { contents: 'read' }, 'steps': [{ uses: SHA }] },
      d: { 'runs-on': 'x', 'environment': 'prod env', 'steps': [] },
    });
    expect(environmentsRule.check(w).map((i) => i.field)).toEqual(['jobs.c.needs', 'jobs.c.container', 'jobs.c.permissions', 'jobs.c.steps[0].uses', 'jobs.d.environment']);
  });

  test('pinned actions: fails on a tag, a branch and a short sha', () => {
    const w = workflow({ c: { 'runs-on': 'x', 'steps': [{ uses: 'actions/checkout@v4' }, { uses: 'actions/checkout@main' }, { uses: 'actions/checkout@3d3c42e' }] } });
    expect(pinnedActionsRule.check(w).map((i) => i.field)).toEqual(['jobs.c.steps[0].uses', 'jobs.c.steps[1].uses', 'jobs.c.steps[2].uses']);
  });

  test('permissions: fails on a workflow granting by default, a job without permissions, write scopes it does not use', () => {
    const w = workflow({
      c: { 'runs-on': 'x', 'steps': [] },
      d: { 'runs-on': 'x', 'permissions': { 'contents': 'write', 'security-events': 'write', 'id-token': 'write' }, 'steps': [{ run: 'x' }] },
    }, { permissions: { contents: 'read' } });
    expect(permissionsRule.check(w).map((i) => i.field)).toEqual([
      'permissions', 'jobs.c.permissions', 'jobs.d.permissions.contents', 'jobs.d.permissions.security-events', 'jobs.d.permissions.id-token',
    ]);
  });
});
