import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { refuseArgs } from '../internal/suppressions';
import { ScannerImage } from '../scanner-image';
import { OpenScapTarget } from './openscap-target';

/** Options of an OpenSCAP evaluation. */
export interface OpenScapProps extends CatalogScanOptions {
  /**
   * What to evaluate.
   * @default OpenScapTarget.buildHost()
   */
  readonly target?: OpenScapTarget;
  /**
   * SCAP source datastream (absolute path inside the image, or relative to the source root).
   * @default '/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml' (Debian 12's ssg-debian ships no Debian 12 content)
   */
  readonly datastream?: string;
  /**
   * XCCDF profile id.
   * @default 'xccdf_org.ssgproject.content_profile_standard'
   */
  readonly profile?: string;
  /**
   * Extra CPE dictionary (`--cpe`), e.g. one that makes a Debian 11 benchmark applicable on
   * Debian 12; relative to the source root.
   * @default - none
   */
  readonly cpeDictionary?: string;
  /**
   * Install `openscap-scanner` and `ssg-debian` with apt when `oscap` is missing (needs a Debian
   * mirror at run time).
   * @default true
   */
  readonly installPackages?: boolean;
  /**
   * Also write the HTML report (`--report`) beside the results.
   * @default true
   */
  readonly htmlReport?: boolean;
}

const PROFILE = /^[A-Za-z0-9_.:-]+$/;

/**
 * Compliance with OpenSCAP: `oscap xccdf eval --profile <p> --results <report> <datastream>`.
 * oscap exits 2 when a rule fails (findings) and 1 on errors. A run in which no rule was
 * evaluated (every rule `notapplicable`, e.g. content for another OS) fails closed: it proves
 * nothing.
 */
export class OpenScap extends CatalogScan {
  constructor(props: OpenScapProps = {}) {
    const target = props.target ?? OpenScapTarget.buildHost();
    const datastream = props.datastream ?? '/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml';
    const profile = props.profile ?? 'xccdf_org.ssgproject.content_profile_standard';
    const html = props.htmlReport ?? true;
    super(
      render({
        scanner: 'openscap',
        category: ScanCategory.COMPLIANCE,
        defaultName: 'openscap',
        defaultImage: ScannerImage.DEBIAN,
        options: props,
        reportFile: 'xccdf-results.xml',
        reportFormat: ReportFormat.OTHER,
        findingsFormats: ['openscap-xccdf'],
        // XCCDF severities high, medium, low, info (notchecked or error: unknown)
        maxSeverity: GateSeverity.HIGH,
        extraReportFiles: html ? ['report.html'] : [],
        env: { DEBIAN_FRONTEND: 'noninteractive' },
        validate: ({ where }) => {
          assertPath(where, 'datastream', datastream, true);
          if (!PROFILE.test(profile)) throw new Error(`${where} profile "${profile}" is not an XCCDF id: use e.g. "xccdf_org.ssgproject.content_profile_standard"`);
          if (props.cpeDictionary !== undefined) assertPath(where, 'cpeDictionary', props.cpeDictionary);
          refuseArgs(where, props.extraArgs, /^--(tailoring-file|tailoring-id)(=|$)/, 'a tailoring file could deselect rules; choose the profile in the definition');
        },
        commands: ({ report, reportDir }) => {
          const cmds: string[] = [];
          if (props.installPackages ?? true) {
            cmds.push(
              'command -v oscap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends openscap-scanner ssg-debian >/dev/null; }',
            );
          }
          let env = '';
          if (target.rootDir) {
            cmds.push(
              `[ -d ${q(target.rootDir)} ] || { echo "gatehouse: image filesystem ${target.rootDir} does not exist: unpack the image there first" >&2; exit 1; }`,
            );
            env = `OSCAP_PROBE_ROOT="$(cd ${q(target.rootDir)} && pwd)" OSCAP_EVALUATION_TARGET="chroot://$(cd ${q(target.rootDir)} && pwd)" `;
          }
          const cpe = props.cpeDictionary ? ` --cpe ${q(props.cpeDictionary)}` : '';
          const htmlFlag = html ? ` --report ${q(`${reportDir}/report.html`)}` : '';
          cmds.push(
            guarded(
              'oscap',
              `${env}oscap xccdf eval${cpe} --profile ${q(profile)} --results ${q(report)}${htmlFlag}${extra(props.extraArgs)} ${q(datastream)}`,
              report,
              { findings: [2], marker: 'TestResult' },
            ),
            requireReport('oscap', report),
            `grep -Eq '<([A-Za-z0-9-]+:)?result>(pass|fail)</' ${q(report)} || { echo "gatehouse: oscap evaluated no rule (all notapplicable or notselected): the content does not fit this target; give a matching datastream or cpeDictionary" >&2; exit 1; }`,
          );
          return cmds;
        },
      }),
    );
  }
}
