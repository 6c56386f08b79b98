import { Approver, CommandStep, Pipeline, ReportFormat, Source, Stage } from '../../src/core';

/**
 * The seed pipeline as it was before its oast stage used the scanner catalog and gates (the
 * CircleCI workflow: build → test → oast with `safety … || true` → integration → approval → prod):
 * a strict sequence of ungated command steps, which the rendering and validation tests index into.
 * The example itself (examples/django-devsecops) is tested in seed.test.ts and example.test.ts.
 */
export function ungatedSeed(): Pipeline {
  return new Pipeline({
    name: 'django-devsecops',
    source: Source.gitHub({ owner: 'acme', repository: 'django-taskmanager', branch: 'main' }),
    defaults: { image: 'public.ecr.aws/docker/library/python:3.12-slim' },
    stages: [
      Stage.buildStage('build', {
        steps: [
          new CommandStep({
            name: 'build',
            commands: ['pip install -r requirements.txt', 'python manage.py check'],
          }),
        ],
      }),
      Stage.testStage('test', {
        steps: [
          new CommandStep({
            name: 'test',
            commands: ['pip install -r requirements.txt', 'python manage.py test taskManager'],
          }),
        ],
      }),
      Stage.securityStage('oast', {
        steps: [
          new CommandStep({
            name: 'safety',
            commands: ['pip install safety', 'safety check -r requirements.txt --json > oast-results.json'],
            reports: [{ name: 'oast-results', paths: ['oast-results.json'], format: ReportFormat.JSON }],
            allowFailure: true,
          }),
        ],
      }),
      Stage.integrationStage('integration', {
        steps: [
          new CommandStep({
            name: 'integration',
            commands: ['pip install -r requirements.txt', 'python manage.py test taskManager.tests'],
            allowFailure: true,
          }),
        ],
      }),
      Stage.approvalStage('approval', {
        approvers: [Approver.group('release-managers')],
        description: 'Approve the release of django-taskmanager to prod',
        reviewUrl: 'https://github.com/acme/django-taskmanager/actions',
        timeoutMinutes: 1440,
      }),
      Stage.deployStage('prod', {
        environment: 'prod',
        steps: [
          new CommandStep({
            name: 'deploy',
            commands: ['./deploy.sh prod'],
          }),
        ],
      }),
    ],
  });
}
