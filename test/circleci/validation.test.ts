import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { approvalShapeRule } from '../../src/circleci/validation/approval-shape';
import { contextNamesRule } from '../../src/circleci/validation/context-names';
import { jobNamesRule } from '../../src/circleci/validation/job-names';
import { jobsDefinedRule } from '../../src/circleci/validation/jobs-defined';
import { noCyclesRule } from '../../src/circleci/validation/no-cycles';
import { precompiledValidatorSource } from '../../src/circleci/validation/precompile';
import { requiresExistRule } from '../../src/circleci/validation/requires-exist';
import { schemaRule } from '../../src/circleci/validation/schema';
import { AJV_OPTIONS, configureAjv } from '../../src/circleci/validation/schema-options';

const SCHEMAS = path.join(__dirname, '../../src/circleci/schemas');
const job = (steps: any[] = ['checkout']) => ({ docker: [{ image: 'node:22@sha256:' + 'a'.repeat(64) }], steps });
/** A valid config: build → approve (hold) → deploy. */
const valid = () => ({
  version: 2.1,
  jobs: { build: job(), deploy: job([{ run: { name: 'deploy', command: './deploy.sh' } }]) },
  workflows: { main: { jobs: ['build', { approve: { type: 'approval', requires: ['build'], context: 'release-managers' } }, { deploy: { requires: ['approve'] } }] } },
});
const messages = (rule: { check(c: any): Array<{ message: string }> }, c: any) => rule.check(c).map((i) => i.message);

describe('the CircleCI config schema, strictly', () => {
  test('passes a valid config', () => {
    expect(schemaRule.check(valid())).toEqual([]);
  });

  test('fails `when` on store_artifacts (the seed\'s form: CircleCI takes `when` on run steps only) and a missing version, each once', () => {
    const c: any = valid();
    c.jobs.build.steps.push({ store_artifacts: { path: 'x', when: 'always' } });
    delete c.version;
    expect(schemaRule.check(c)).toEqual([
      { field: '<root>', message: "must have required property 'version' (schema #/required)" },
      { field: 'jobs.build.steps.1.store_artifacts', message: 'must NOT have additional properties "when" (schema #/oneOf/1/properties/store_artifacts/additionalProperties)' },
    ]);
  });

  test('fails a run step without a command and a no_output_timeout CircleCI cannot read', () => {
    const c: any = valid();
    c.jobs.deploy.steps = [{ run: { name: 'deploy', no_output_timeout: 'an hour' } }];
    const fields = schemaRule.check(c).map((i) => `${i.field}: ${i.message.replace(/ \(schema .*/, '')}`);
    expect(fields).toEqual(expect.arrayContaining([
      "jobs.deploy.steps.0.run: must have required property 'command'",
      'jobs.deploy.steps.0.run.no_output_timeout: must match pattern "\\d+(\\.\\d+)?[mhs]"',
    ]));
  });

  test('the schema compiles in ajv strict mode, and the precompiled validator is the one it compiles to (scripts/import-circleci-schema.ts)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'circleci-config.json'), 'utf8'));
    expect(() => new Ajv({ ...AJV_OPTIONS }).compile(schema)).toThrow(/strict mode: unknown keyword: "markdownDescription"/);
    const fresh = configureAjv(new Ajv(AJV_OPTIONS)).compile(schema);
    expect(fresh(valid())).toBe(true);
    expect(fs.readFileSync(path.join(SCHEMAS, 'config-validator.generated.ts'), 'utf8')).toBe(precompiledValidatorSource(schema));
  });

  test('the schema is the one CircleCI\'s YAML language server uses, unchanged', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'circleci-config.json'), 'utf8'));
    expect(schema.title).toBe('CircleCI Config');
    expect(schema.properties.version).toEqual(expect.objectContaining({ enum: ['2.1', 2.1] }));
  });
});

describe('rules no schema states', () => {
  test('job-names: fails a job name that does not start with a letter', () => {
    const c: any = valid();
    c.jobs['1build'] = job();
    c.workflows.main.jobs.push('1build');
    expect(messages(jobNamesRule, c)).toEqual([
      expect.stringContaining('job name "1build" is not a CircleCI job name'),
      expect.stringContaining('workflow job "1build" is not a CircleCI job name'),
    ]);
    expect(messages(jobNamesRule, valid())).toEqual([]);
  });

  test('jobs-defined: fails a workflow job not defined under jobs, and a job listed twice', () => {
    const c: any = valid();
    c.workflows.main.jobs.push('lint', 'build');
    expect(messages(jobsDefinedRule, c)).toEqual([
      'job "lint" is not defined under jobs: define it, or make it a hold with type: approval',
      'job "build" is listed twice in workflow "main": give each entry its own name',
    ]);
    expect(messages(jobsDefinedRule, valid())).toEqual([]);
  });

  test('requires-exist: fails requires naming a job outside the workflow, or the job itself', () => {
    const c: any = valid();
    c.workflows.main.jobs[2] = { deploy: { requires: ['approve', 'tests', { deploy: 'success' }] } };
    expect(messages(requiresExistRule, c)).toEqual([
      'job "deploy" requires "tests", which is not a job of workflow "main": require a job the workflow lists',
      'job "deploy" requires itself: remove it from its requires',
    ]);
    expect(messages(requiresExistRule, valid())).toEqual([]);
  });

  test('no-cycles: fails requires that form a cycle, status requirements included', () => {
    const c: any = valid();
    c.workflows.main.jobs[0] = { build: { requires: [{ deploy: ['success', 'failed'] }] } };
    expect(messages(noCyclesRule, c)).toEqual(['requires form a cycle (build -> deploy -> approve -> build): remove one requirement']);
    expect(messages(noCyclesRule, valid())).toEqual([]);
  });

  test('approval-shape: fails a hold defined under jobs, with job keys, and an unknown type (a hold may start the workflow)', () => {
    const c: any = valid();
    c.jobs.approve = job();
    c.workflows.main.jobs[1] = { approve: { type: 'approval', steps: ['checkout'] } };
    c.workflows.main.jobs.push({ other: { type: 'aproval', requires: ['build'] } });
    expect(messages(approvalShapeRule, c)).toEqual([
      'hold "approve" is also defined under jobs: a type: approval job runs no steps, remove the definition or rename the hold',
      'hold "approve" has "steps", which an approval job does not take: keep type, requires, context and filters',
      'type "aproval" is not a CircleCI job type: use approval for a hold, or leave type out',
    ]);
    expect(messages(approvalShapeRule, valid())).toEqual([]);
  });

  test('context-names: fails a context name with spaces or a leading dot', () => {
    const c: any = valid();
    c.workflows.main.jobs[2] = { deploy: { requires: ['approve'], context: ['prod deploy', '.hidden', 'ok-1'] } };
    expect(messages(contextNamesRule, c)).toEqual([
      'context "prod deploy" is not a context name: use letters, digits, ".", "_" and "-"',
      'context ".hidden" is not a context name: use letters, digits, ".", "_" and "-"',
    ]);
    expect(messages(contextNamesRule, valid())).toEqual([]);
  });
});
