import { cleanup, runWithFakes } from './run-step';
import { OpenScap, OpenScapTarget } from '../../src/security';

const EVALUATED = '<TestResult><rule-result idref="r1"><result>pass</result></rule-result><rule-result idref="r2"><result>fail</result></rule-result></TestResult>';
const NOTHING_APPLIED = '<TestResult><rule-result idref="r1"><result>notapplicable</result></rule-result></TestResult>';

describe('OpenScap', () => {
  test('evaluates the SSG profile into XCCDF results and an HTML report', () => {
    const step = new OpenScap({ cpeDictionary: 'scap/cpe-dict.xml' });
    const script = step.commands.join('\n');
    expect(script).toContain(
      "oscap xccdf eval --cpe 'scap/cpe-dict.xml' --profile 'xccdf_org.ssgproject.content_profile_standard' --results '.gatehouse/reports/openscap/xccdf-results.xml' --report '.gatehouse/reports/openscap/report.html' '/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml'",
    );
    expect(script).toContain('command -v oscap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends openscap-scanner ssg-debian >/dev/null; }');
    expect(step.reports.flatMap((r) => r.paths)).toContain('.gatehouse/reports/openscap/report.html');
  });

  test('evaluates an unpacked image filesystem through OSCAP_PROBE_ROOT, without a daemon', () => {
    const script = new OpenScap({ target: OpenScapTarget.imageFilesystem('build/rootfs'), installPackages: false, htmlReport: false }).commands.join('\n');
    expect(script).toContain('OSCAP_PROBE_ROOT="$(cd \'build/rootfs\' && pwd)" OSCAP_EVALUATION_TARGET="chroot://$(cd \'build/rootfs\' && pwd)" oscap xccdf eval');
    expect(script).not.toContain('apt-get');
    expect(script).not.toContain('--report');
  });

  test('reads exit 2 (a rule failed) as findings', () => {
    const step = new OpenScap({ installPackages: false });
    const run = runWithFakes(step, { oscap: { exitCode: 2, content: EVALUATED, writeTo: step.reportFile } });
    expect(run.status).toBe(0);
    cleanup(run);
  });

  test('fails the step on an oscap error (exit 1)', () => {
    const step = new OpenScap({ installPackages: false });
    const run = runWithFakes(step, { oscap: { exitCode: 1, content: EVALUATED, writeTo: step.reportFile } });
    expect(run.status).toBe(1);
    cleanup(run);
  });

  test('fails closed when no rule was evaluated (content for another OS)', () => {
    const step = new OpenScap({ installPackages: false });
    const run = runWithFakes(step, { oscap: { exitCode: 0, content: NOTHING_APPLIED, writeTo: step.reportFile } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('oscap evaluated no rule');
    cleanup(run);
  });

  test('fails the step when the image filesystem was not unpacked', () => {
    const step = new OpenScap({ target: OpenScapTarget.imageFilesystem('rootfs'), installPackages: false });
    const run = runWithFakes(step, { oscap: { exitCode: 0, content: EVALUATED, writeTo: step.reportFile } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('image filesystem rootfs does not exist');
    expect(run.calls).toEqual([]);
    cleanup(run);
  });

  test('fails on a profile id with shell characters', () => {
    expect(() => new OpenScap({ profile: 'standard; id' })).toThrow(/profile "standard; id" is not an XCCDF id/);
  });
});
