/**
 * In-source suppressions, scanner by scanner (command construction, run with fake scanners): every
 * entry turns the tool's in-repository suppression mechanism off, points it at an empty file of
 * its own in a temporary folder outside the source tree, or refuses to scan while the mechanism is
 * present. The real-tool proof (bandit) is test/adversarial/suppressions.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cleanup, runWithFakes, StepRun } from './run-step';
import {
  Bandit,
  Checkov,
  Conftest,
  DastTarget,
  Gitleaks,
  Grype,
  Kics,
  NpmAudit,
  OpenScap,
  OsvScanner,
  Safety,
  ScanTarget,
  Secretlint,
  SecretScanMode,
  Semgrep,
  Syft,
  Trufflehog,
  TrivyConfig,
  TrivyFs,
  TrivyImage,
  ZapBaseline,
} from '../../src/security';

/** Writes `files` (path → content) into a work dir. */
function plant(files: { [file: string]: string }): (dir: string) => void {
  return (dir) => {
    for (const [f, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), content);
    }
  };
}

/** Runs, checks, cleans up. */
function check(run: StepRun, fn: (r: StepRun) => void): void {
  try {
    fn(run);
  } finally {
    cleanup(run);
  }
}

const TRIVY_REPO_FILES = {
  'trivy.yaml': 'severity: [CRITICAL]\nscan:\n  skip-dirs: [app]\n',
  '.trivyignore': 'CVE-2021-44228\n',
  '.trivyignore.yaml': 'vulnerabilities:\n  - id: CVE-2021-44228\n',
};

describe('Bandit', () => {
  test('runs with --ignore-nosec and an empty --ini of its own, so neither # nosec nor a committed .bandit applies', () => {
    const step = new Bandit();
    const repo = plant({ '.bandit': '[bandit]\nskips: B602\n', 'app.py': 'import subprocess\nsubprocess.call("x", shell=True)  # nosec\n' });
    check(runWithFakes(step, { bandit: { exitCode: 1, content: '{"results":[]}', writeTo: step.reportFile } }, repo), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls).toEqual(['bandit -r . --ignore-nosec --ini <scratch>/bandit.ini -f json -o .gatehouse/reports/bandit/bandit.json']);
      expect(run.scratch).toEqual({ 'bandit.ini': '[bandit]\n' });
    });
  });

  test('takes settings only from the definition (-c on a file of its own), never a repository file', () => {
    const step = new Bandit({ config: 'skips: [B101]' });
    check(runWithFakes(step, { bandit: { exitCode: 0, content: '{"results":[]}', writeTo: step.reportFile } }), (run) => {
      expect(run.calls[0]).toContain('--ini <scratch>/bandit.ini -c <scratch>/bandit.yaml -f json');
      expect(run.scratch['bandit.yaml']).toBe('skips: [B101]\n');
    });
    expect(() => new Bandit({ configFile: 'pyproject.toml' })).toThrow(
      /bandit step "bandit" configFile "pyproject.toml" is a file of the repository being judged.*give the settings in the pipeline definition with config/,
    );
    expect(() => new Bandit({ extraArgs: ['--ini', '.bandit'] })).toThrow(/extraArgs "--ini" would let the repository suppress findings/);
    expect(() => new Bandit({ extraArgs: ['-c', 'pyproject.toml'] })).toThrow(/extraArgs "-c" would let the repository suppress findings/);
  });
});

describe('Semgrep', () => {
  test('reports nosemgrep lines and scans what .semgrepignore and .gitignore list', () => {
    const step = new Semgrep();
    const repo = plant({ '.semgrepignore': '*\n', '.gitignore': 'app/\n' });
    check(runWithFakes(step, { semgrep: { exitCode: 0, content: '{"results":[]}', writeTo: step.reportFile } }, repo), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls[0]).toContain('--disable-nosem --no-git-ignore --x-ignore-semgrepignore-files');
    });
    expect(() => new Semgrep({ extraArgs: ['--enable-nosem'] })).toThrow(/extraArgs "--enable-nosem" would let the repository suppress findings/);
  });
});

describe.each([
  ['TrivyFs', () => new TrivyFs()],
  ['TrivyImage', () => new TrivyImage({ target: ScanTarget.imageTarball('image.tar') })],
  ['TrivyConfig', () => new TrivyConfig()],
])('%s', (_name, make) => {
  test('reads an empty trivy.yaml and an empty ignore file of its own, not the repository\'s', () => {
    const step = make();
    check(runWithFakes(step, { trivy: { exitCode: 0, content: '{"Results":[]}', writeTo: step.reportFile } }, plant(TRIVY_REPO_FILES)), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls[0]).toContain(' --config <scratch>/trivy.yaml --ignorefile <scratch>/trivyignore');
      expect(run.scratch).toEqual({ 'trivy.yaml': '{}\n', 'trivyignore': '' });
    });
  });
});

describe('Trivy extra arguments', () => {
  test.each([['--ignorefile'], ['--config'], ['--ignore-policy'], ['--vex']])('refuses %s', (flag) => {
    expect(() => new TrivyFs({ extraArgs: [flag, 'x'] })).toThrow(/would let the repository suppress findings/);
    expect(() => new TrivyConfig({ extraArgs: [`${flag}=x`] })).toThrow(/would let the repository suppress findings/);
  });
});

describe('TrivyConfig', () => {
  test('refuses to scan a tree holding trivy:ignore or tfsec:ignore comments (trivy cannot turn them off)', () => {
    for (const comment of ['#trivy:ignore:AVD-AWS-0086', '# tfsec:ignore:aws-s3-enable-bucket-encryption']) {
      const step = new TrivyConfig({ path: 'infra' });
      const repo = plant({ 'infra/main.tf': `resource "aws_s3_bucket" "b" {\n  ${comment}\n}\n` });
      check(runWithFakes(step, { trivy: { exitCode: 0, content: '{"Results":[]}', writeTo: step.reportFile } }, repo), (run) => {
        expect(run.status).toBe(1);
        expect(run.calls).toEqual([]);
        expect(run.stderr).toContain('gatehouse: trivy config: trivy:ignore / tfsec:ignore comments found in: infra/main.tf');
      });
    }
  });
});

describe('Grype and Syft', () => {
  test('grype reads an empty configuration of its own (a repository .grype.yaml would move matches to ignoredMatches)', () => {
    const step = new Grype({ target: ScanTarget.imageTarball('image.tar') });
    const repo = plant({ '.grype.yaml': 'ignore:\n  - vulnerability: CVE-2021-44228\n' });
    check(runWithFakes(step, { grype: { exitCode: 0, content: '{"matches":[]}', writeTo: step.reportFile } }, repo), (run) => {
      expect(run.calls[0]).toContain(' -c <scratch>/grype.yaml ');
      expect(run.scratch).toEqual({ 'grype.yaml': '{}\n' });
    });
    expect(() => new Grype({ target: ScanTarget.imageTarball('image.tar'), extraArgs: ['--vex', 'vex.json'] })).toThrow(/would let the repository/);
  });

  test('syft reads an empty configuration of its own (a repository .syft.yaml could exclude packages from the SBOM)', () => {
    const step = new Syft();
    check(runWithFakes(step, { syft: { exitCode: 0, content: '{"bomFormat":"CycloneDX"}', writeTo: step.reportFile } }, plant({ '.syft.yaml': 'exclude: ["./app/**"]\n' })), (run) => {
      expect(run.calls[0]).toContain(' -c <scratch>/syft.yaml ');
      expect(run.scratch).toEqual({ 'syft.yaml': '{}\n' });
    });
  });
});

describe('OsvScanner', () => {
  test('reads an empty osv-scanner.toml of its own, which replaces every per-folder one', () => {
    const step = new OsvScanner();
    const repo = plant({ 'osv-scanner.toml': '[[IgnoredVulns]]\nid = "GHSA-xxxx"\n' });
    check(runWithFakes(step, { 'osv-scanner': { exitCode: 1, content: '{"results":[]}', writeTo: step.reportFile } }, repo), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls[0]).toContain(' --config <scratch>/osv-scanner.toml');
      expect(run.scratch).toEqual({ 'osv-scanner.toml': '' });
    });
    expect(() => new OsvScanner({ extraArgs: ['--config=osv-scanner.toml'] })).toThrow(/would let the repository suppress findings/);
  });
});

describe('Safety', () => {
  test('reads a policy of its own that ignores nothing, not the repository\'s .safety-policy.yml', () => {
    const step = new Safety();
    const repo = plant({ '.safety-policy.yml': 'security:\n  ignore-vulnerabilities:\n    51457: {}\n' });
    check(runWithFakes(step, { safety: { exitCode: 64, content: '{"vulnerabilities":[]}', writeTo: 'stdout' } }, repo), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls[0]).toBe('safety check -r requirements.txt --json --policy-file <scratch>/safety-policy.yml');
      expect(run.scratch['safety-policy.yml']).toBe(
        'security:\n  ignore-cvss-severity-below: 0\n  ignore-cvss-unknown-severity: False\n  continue-on-vulnerability-error: False\n',
      );
    });
  });
});

describe('NpmAudit', () => {
  test('takes the registry and the dependency types from the definition, over the repository\'s .npmrc', () => {
    const step = new NpmAudit();
    const repo = plant({ '.npmrc': 'registry=https://clean.example.com/\nomit=dev\n' });
    check(runWithFakes(step, { npm: { exitCode: 0, content: '{"auditReportVersion":2}', writeTo: 'stdout' } }, repo), (run) => {
      expect(run.calls[0]).toBe('npm audit --json --package-lock-only --prefix . --registry https://registry.npmjs.org/ --include=dev');
    });
    expect(new NpmAudit({ registry: 'https://npm.internal.example.com/' }).commands.join('\n')).toContain("--registry 'https://npm.internal.example.com/'");
    expect(() => new NpmAudit({ registry: 'http://evil.example.com' })).toThrow(/registry "http:\/\/evil.example.com" is not a plain https URL/);
    expect(() => new NpmAudit({ extraArgs: ['--registry=https://clean.example.com/'] })).toThrow(/would let the repository suppress findings/);
  });
});

describe('Gitleaks', () => {
  test('reads a configuration of its own (built-in rules), reports gitleaks:allow lines and uses no ignore path of the repository', () => {
    const step = new Gitleaks({ mode: SecretScanMode.FILES });
    const repo = plant({ '.gitleaks.toml': '[allowlist]\npaths = [".*"]\n', 'config.env': 'AWS=AKIA... # gitleaks:allow\n' });
    check(runWithFakes(step, { gitleaks: { exitCode: 0, content: '[]', writeTo: step.reportFile } }, repo), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls[0]).toContain(' --config <scratch>/gitleaks.toml --gitleaks-ignore-path <scratch> --ignore-gitleaks-allow ');
      expect(run.scratch).toEqual({ 'gitleaks.toml': '[extend]\nuseDefault = true\n' });
    });
  });

  test.each([
    [SecretScanMode.AUTO, '.', '.gitleaksignore'],
    [SecretScanMode.GIT, '.', '.gitleaksignore'],
    [SecretScanMode.FILES, 'src', 'src/.gitleaksignore'],
    [SecretScanMode.AUTO, 'src', 'src/.gitleaksignore'],
  ])('refuses to scan (%s, path %s) while %s exists: gitleaks always reads it', (mode, p, file) => {
    const step = new Gitleaks({ mode, path: p });
    check(runWithFakes(step, { gitleaks: { exitCode: 0, content: '[]', writeTo: step.reportFile } }, plant({ [file]: 'abc123:config.env:aws-access-token:1\n' })), (run) => {
      expect(run.status).toBe(1);
      expect(run.calls).toEqual([]);
      expect(run.stderr).toMatch(/gatehouse: gitleaks: the repository holds (src\/)?\.gitleaksignore, which gitleaks always honours: in-source suppressions are not honoured/);
    });
  });

  test('refuses a repository configuration and ignore or baseline files in extraArgs', () => {
    expect(() => new Gitleaks({ configFile: '.gitleaks.toml' })).toThrow(/configFile ".gitleaks.toml" is a file of the repository being judged/);
    expect(() => new Gitleaks({ extraArgs: ['--gitleaks-ignore-path', '.'] })).toThrow(/would let the repository suppress findings/);
    expect(() => new Gitleaks({ extraArgs: ['--baseline-path=old.json'] })).toThrow(/would let the repository suppress findings/);
  });
});

describe('Trufflehog', () => {
  test('refuses to scan files holding trufflehog:ignore (trufflehog cannot turn it off)', () => {
    const step = new Trufflehog({ mode: SecretScanMode.FILES, path: 'src' });
    const repo = plant({ 'src/settings.py': 'KEY = "AKIAXXXXXXXXXXXXXXXX"  # trufflehog:ignore\n' });
    check(runWithFakes(step, { trufflehog: { exitCode: 0 } }, repo), (run) => {
      expect(run.status).toBe(1);
      expect(run.calls).toEqual([]);
      expect(run.stderr).toContain('gatehouse: trufflehog: trufflehog:ignore comments found in: src/settings.py');
    });
    check(runWithFakes(step, { trufflehog: { exitCode: 0 } }, plant({ 'src/settings.py': 'KEY = 1\n' })), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls).toHaveLength(1);
    });
  });
});

describe('Secretlint', () => {
  test('reads the definition\'s configuration and an empty ignore file of its own, and lints what .gitignore lists', () => {
    const config = JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rules: [{ id: '@secretlint/secretlint-rule-aws', options: {} }] }] });
    const step = new Secretlint({ config });
    const repo = plant({ '.secretlintrc.json': '{"rules":[]}', '.secretlintignore': '**/*\n', '.gitignore': 'config/\n' });
    check(runWithFakes(step, { secretlint: { exitCode: 0, content: '{"runs":[]}', writeTo: step.reportFile } }, repo), (run) => {
      expect(run.status).toBe(0);
      expect(JSON.parse(run.scratch['secretlintrc.json'])).toEqual(JSON.parse(config));
      expect(run.scratch.secretlintignore).toBe('');
      expect(run.calls[0]).toContain(' --secretlintrc <scratch>/secretlintrc.json --secretlintignore <scratch>/secretlintignore --no-gitignore ');
    });
  });

  test.each([['// secretlint-disable-line'], ['/* secretlint-disable */'], ['# secretlint-disable-next-line @secretlint/secretlint-rule-github']])(
    'refuses to scan a tree holding "%s" (secretlint cannot turn its comment filter off inside the preset)',
    (comment) => {
      const step = new Secretlint();
      check(runWithFakes(step, { secretlint: { exitCode: 0, content: '{"runs":[]}', writeTo: step.reportFile } }, plant({ 'src/client.js': `const t = "ghp_x"; ${comment}\n` })), (run) => {
        expect(run.status).toBe(1);
        expect(run.calls).toEqual([]);
        expect(run.stderr).toContain('gatehouse: secretlint: secretlint-disable / secretlint-enable comments found in: ./src/client.js');
      });
    },
  );

  test('does not look into node_modules or .gatehouse, which secretlint does not lint', () => {
    const step = new Secretlint();
    const repo = plant({ 'node_modules/secretlint/index.js': '// secretlint-disable\n', '.gatehouse/reports/x/y.json': '"secretlint-disable"', 'src/a.js': 'ok\n' });
    check(runWithFakes(step, { secretlint: { exitCode: 0, content: '{"runs":[]}', writeTo: step.reportFile } }, repo), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls).toHaveLength(1);
    });
  });

  test('refuses a configuration that is not JSON, a repository configuration and ignore files in extraArgs', () => {
    expect(() => new Secretlint({ config: '{ not json' })).toThrow(/config is not JSON/);
    expect(() => new Secretlint({ config: '{"rules":[]}' })).toThrow(/config has no "rules" list/);
    expect(() => new Secretlint({ configFile: '.secretlintrc.json' })).toThrow(/is a file of the repository being judged/);
    expect(() => new Secretlint({ extraArgs: ['--secretlintignore', '.secretlintignore'] })).toThrow(/would let the repository suppress findings/);
  });
});

describe('Checkov', () => {
  test('runs with HOME in its temporary folder when the repository holds no configuration or skip comment', () => {
    const step = new Checkov({ directory: 'infra' });
    expect(step.commands.join('\n')).toContain('HOME="$gatehouse_scratch" checkov -d \'infra\'');
    check(runWithFakes(step, { checkov: { exitCode: 0, content: '{"results":{}}', writeTo: step.reportFile } }, plant({ 'infra/main.tf': 'resource "x" "y" {}\n' })), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls).toHaveLength(1);
    });
  });

  test.each([
    ['.checkov.yaml', 'skip-check: [CKV_AWS_20]\n'],
    ['.checkov.yml', 'soft-fail-on: [CKV_AWS_20]\n'],
    ['infra/.checkov.yaml', 'skip-path: [infra]\n'],
    ['infra/s3.tf', 'resource "aws_s3_bucket" "b" {\n  #checkov:skip=CKV_AWS_20:public site\n}\n'],
    ['infra/k8s.yaml', '# bridgecrew:skip=CKV_K8S_8:reason\nkind: Pod\n'],
  ])('refuses to scan while the repository holds %s (checkov has no flag to ignore it)', (file, content) => {
    const step = new Checkov({ directory: 'infra' });
    check(runWithFakes(step, { checkov: { exitCode: 0, content: '{"results":{}}', writeTo: step.reportFile } }, plant({ [file]: content })), (run) => {
      expect(run.status).toBe(1);
      expect(run.calls).toEqual([]);
      expect(run.stderr).toMatch(/gatehouse: checkov: .*in-source suppressions are not honoured/);
    });
  });

  test('refuses a repository configuration or baseline in extraArgs', () => {
    expect(() => new Checkov({ extraArgs: ['--config-file', '.checkov.yaml'] })).toThrow(/would let the repository suppress findings/);
    expect(() => new Checkov({ extraArgs: ['--baseline', '.checkov.baseline'] })).toThrow(/would let the repository suppress findings/);
  });
});

describe('Kics', () => {
  test('reads a configuration of its own (no kics.config of the repository) and scans what .gitignore lists', () => {
    const step = new Kics();
    const repo = plant({ 'kics.config': '{"exclude-severities": "high,medium,low,info"}', '.gitignore': 'infra/\n' });
    check(runWithFakes(step, { kics: { exitCode: 0, content: '{"runs":[]}', writeTo: step.reportFile } }, repo), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls[0]).toContain('kics scan -p . --config <scratch>/kics.config --exclude-gitignore ');
      expect(run.scratch).toEqual({ 'kics.config': '{"no-progress": true}\n' });
    });
    expect(() => new Kics({ configFile: 'kics.config' })).toThrow(/is a file of the repository being judged/);
  });

  test.each([['# kics-scan ignore'], ['# kics-scan ignore-line'], ['# kics-scan ignore-block'], ['# kics-scan disable=e592a0c5-5bdb-414c-9066-5dba7cdea370']])(
    'refuses to scan a tree holding "%s" (KICS cannot turn it off)',
    (comment) => {
      const step = new Kics({ paths: ['infra'] });
      check(runWithFakes(step, { kics: { exitCode: 0, content: '{"runs":[]}', writeTo: step.reportFile } }, plant({ 'infra/main.tf': `${comment}\nresource "x" "y" {}\n` })), (run) => {
        expect(run.status).toBe(1);
        expect(run.calls).toEqual([]);
        expect(run.stderr).toContain('gatehouse: kics: kics-scan ignore / disable comments found in: infra/main.tf');
      });
    },
  );
});

describe('Conftest', () => {
  test.each([['conftest.toml'], ['conftest.yaml'], ['conftest.json']])('refuses to run while the repository holds %s', (file) => {
    const step = new Conftest({ files: ['k8s.yaml'] });
    check(runWithFakes(step, { conftest: { exitCode: 0, content: '[{"failures":[]}]', writeTo: 'stdout' } }, plant({ [file]: 'namespace = ["nothing"]\n' })), (run) => {
      expect(run.status).toBe(1);
      expect(run.calls).toEqual([]);
      expect(run.stderr).toContain(`gatehouse: conftest: the repository holds ${file}`);
    });
  });

  test('runs beside a pytest conftest.py (not a conftest configuration)', () => {
    const step = new Conftest({ files: ['k8s.yaml'] });
    check(runWithFakes(step, { conftest: { exitCode: 0, content: '[{"failures":[]}]', writeTo: 'stdout' } }, plant({ 'conftest.py': 'import pytest\n' })), (run) => {
      expect(run.status).toBe(0);
      expect(run.calls).toHaveLength(1);
    });
  });
});

describe('ZapBaseline and OpenScap', () => {
  test('ZAP rules come from the definition, never a rules file of the repository', () => {
    const target = DastTarget.url('https://staging.example.com');
    expect(() => new ZapBaseline({ target, rulesFile: 'zap/rules.tsv' })).toThrow(/rulesFile "zap\/rules.tsv" is a file of the repository being judged/);
    expect(() => new ZapBaseline({ target, extraArgs: ['-c', 'zap/rules.tsv'] })).toThrow(/would let the repository suppress findings/);
  });

  test('OpenSCAP refuses a tailoring file (it could deselect rules)', () => {
    expect(() => new OpenScap({ extraArgs: ['--tailoring-file', 'tailoring.xml'] })).toThrow(/would let the repository suppress findings/);
  });
});
