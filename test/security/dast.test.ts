import * as fs from 'fs';
import * as path from 'path';
import { cleanup, runWithFakes } from './run-step';
import { CommandStep } from '../../src/core';
import { DastTarget, ZapBaseline } from '../../src/security';

/** The step's commands up to reading the target URL (the scan itself needs ZAP's /zap/wrk). */
function urlPart(step: ZapBaseline): CommandStep {
  return new CommandStep({ name: 'url', commands: [...step.commands.slice(0, 2), 'echo "target=$zap_target"'] });
}

describe('ZapBaseline', () => {
  test('runs the passive baseline against a fixed URL and copies the report out of /zap/wrk', () => {
    const step = new ZapBaseline({ target: DastTarget.url('https://staging.example.com/app'), spiderMinutes: 3, rules: '10020\tIGNORE\t(Anti-clickjacking Header)' });
    const script = step.commands.join('\n');
    expect(script).toContain("zap_target='https://staging.example.com/app'");
    expect(script).toContain('zap-baseline.py -t "$zap_target" -J \'zap-baseline.json\' -m 3 -c "$gatehouse_scratch/zap-rules.tsv"');
    expect(script).toContain("cp '/zap/wrk/zap-baseline.json' '.gatehouse/reports/zap-baseline/zap.json'");
  });

  test('reads WARN (2) and FAIL (1) as findings and 3 as an error', () => {
    const script = new ZapBaseline({ target: DastTarget.url('https://staging.example.com') }).commands.join('\n');
    expect(script).toContain('case "$rc" in 0) ;; 1|2) grep -q \'"site"\' \'/zap/wrk/zap-baseline.json\'');
    expect(script).toMatch(/\*\) echo "gatehouse: zap-baseline failed with exit code \$rc: a scanner error, not findings" >&2; exit "\$rc" ;; esac/);
  });

  test('reads the URL an earlier deploy stage wrote', () => {
    const step = new ZapBaseline({ target: DastTarget.fromFile('deploy/url.txt') });
    const run = runWithFakes(urlPart(step), {}, (dir) => {
      fs.mkdirSync(path.join(dir, 'deploy'));
      fs.writeFileSync(path.join(dir, 'deploy/url.txt'), 'https://pr-42.staging.example.com\n');
    });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('target=https://pr-42.staging.example.com');
    cleanup(run);
  });

  test('fails the step when the deploy stage wrote no URL', () => {
    const step = new ZapBaseline({ target: DastTarget.fromFile('deploy/url.txt') });
    const run = runWithFakes(urlPart(step), {}, (dir) => {
      fs.mkdirSync(path.join(dir, 'deploy'));
      fs.writeFileSync(path.join(dir, 'deploy/url.txt'), 'not a url\n');
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('deploy/url.txt holds no http(s) URL');
    cleanup(run);
  });

  test('fails on a URL that is not http(s) or carries quotes', () => {
    expect(() => DastTarget.url('ftp://example.com')).toThrow(/is not an http\(s\) URL/);
    expect(() => DastTarget.url("https://x.example.com/'$(id)'")).toThrow(/is not an http\(s\) URL/);
  });

  test('fails without a target and on a spider duration out of range', () => {
    expect(() => new ZapBaseline({ target: undefined as unknown as DastTarget })).toThrow(/has no target/);
    expect(() => new ZapBaseline({ target: DastTarget.url('https://x.example.com'), spiderMinutes: 0 })).toThrow(/spiderMinutes 0 is out of range/);
  });
});
