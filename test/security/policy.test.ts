import { cleanup, runWithFakes } from './run-step';
import { Conftest } from '../../src/security';

describe('Conftest', () => {
  test('tests the files against the policy folder with JSON output', () => {
    const step = new Conftest({ files: ['k8s/deployment.yaml', 'Dockerfile'], policyDir: 'org-policy', namespaces: ['main', 'docker'] });
    expect(step.commands.join('\n')).toContain(
      "conftest test 'k8s/deployment.yaml' 'Dockerfile' --policy 'org-policy' --namespace main --namespace docker --output json --no-color > '.gatehouse/reports/conftest/conftest.json'",
    );
    expect(new Conftest({ files: ['a.yaml'], allNamespaces: true }).commands.join('\n')).toContain('--all-namespaces');
  });

  test('reads exit 1 as policy failures when the JSON report was written, and as an error otherwise', () => {
    const failures = runWithFakes(new Conftest({ files: ['a.yaml'] }), {
      conftest: { exitCode: 1, content: '[{"filename":"a.yaml","successes":1,"failures":[{"msg":"no root"}]}]', writeTo: 'stdout' },
    });
    expect(failures.status).toBe(0);
    cleanup(failures);
    const error = runWithFakes(new Conftest({ files: ['a.yaml'] }), { conftest: { exitCode: 1, content: 'Error: running test: load: parse', writeTo: 'stdout' } });
    expect(error.status).toBe(1);
    cleanup(error);
  });

  test('fails without files, with both namespace settings, or with a bad namespace', () => {
    expect(() => new Conftest({ files: [] })).toThrow(/has no files/);
    expect(() => new Conftest({ files: ['a.yaml'], namespaces: ['main'], allNamespaces: true })).toThrow(/sets both namespaces and allNamespaces/);
    expect(() => new Conftest({ files: ['a.yaml'], namespaces: ['main;id'] })).toThrow(/namespace "main;id" is not a Rego package name/);
  });
});
