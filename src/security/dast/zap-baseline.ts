import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { extra, guarded, q, requireReport } from '../internal/shell';
import { refuseArgs, refuseRepositoryConfig, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
import { ScannerImage } from '../scanner-image';
import { DastTarget } from './dast-target';

/** Options of an OWASP ZAP baseline scan. */
export interface ZapBaselineProps extends CatalogScanOptions {
  /** The URL to scan, typically written by an earlier deploy stage. */
  readonly target: DastTarget;
  /**
   * Spider duration in minutes (`-m`).
   * @default 1
   */
  readonly spiderMinutes?: number;
  /**
   * ZAP rules (the content of a `-c` rules file: one `<rule id>\t<IGNORE|INFO|WARN|FAIL>\t<name>`
   * line per rule), given in the pipeline definition. The step writes it to a temporary folder
   * outside the source tree.
   * @default - every passive rule at its default level
   */
  readonly rules?: string;
  /**
   * Not supported: a rules file in the repository being judged could set its own findings to
   * IGNORE. Setting it throws; give the rules with `rules`.
   * @default - none
   */
  readonly rulesFile?: string;
}

/**
 * DAST with the OWASP ZAP baseline (passive) scan: `zap-baseline.py -t <url> -J <report>`. ZAP
 * exits 1 (FAIL rules) or 2 (WARN rules) when it finds something and 3 on errors. The report is
 * written in `/zap/wrk` (where ZAP writes) and copied into the step's report folder.
 */
export class ZapBaseline extends CatalogScan {
  constructor(props: ZapBaselineProps) {
    const minutes = props.spiderMinutes ?? 1;
    super(
      render({
        scanner: 'zap',
        category: ScanCategory.DAST,
        defaultName: 'zap-baseline',
        defaultImage: ScannerImage.ZAP,
        options: props,
        reportFile: 'zap.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['zap-json'],
        // ZAP risk codes 3 (high) to 0 (informational), always given
        maxSeverity: GateSeverity.HIGH,
        unknownSeverity: false,
        validate: ({ where }) => {
          if (!(props.target instanceof DastTarget)) {
            throw new Error(`${where} has no target: use DastTarget.url("https://…") or DastTarget.fromFile("deploy/url.txt")`);
          }
          if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
            throw new Error(`${where} spiderMinutes ${minutes} is out of range: use a whole number from 1 to 60`);
          }
          refuseRepositoryConfig(where, 'rulesFile', props.rulesFile, 'rules');
          if (props.rules !== undefined && (typeof props.rules !== 'string' || props.rules.trim() === '')) {
            throw new Error(`${where} rules is empty: give ZAP rules lines or leave rules out`);
          }
          refuseArgs(where, props.extraArgs, /^-(c|u|p)$/, 'give rules with rules; a rules, config URL or progress file could mark findings IGNORE or in progress');
        },
        commands: ({ report, name }) => {
          const t = props.target;
          const readUrl = t.fixedUrl
            ? `zap_target=${q(t.fixedUrl)}`
            : `zap_target="$(head -n 1 ${q(t.urlFile!)} | tr -d '[:space:]')"; case "$zap_target" in http://*|https://*) ;; *) echo "gatehouse: ${t.urlFile} holds no http(s) URL" >&2; exit 1 ;; esac`;
          const rules = props.rules !== undefined ? ` -c ${scratchFile('zap-rules.tsv')}` : '';
          const wrk = `/zap/wrk/${name}.json`;
          return [
            readUrl,
            ...(props.rules !== undefined ? [scratchDir('zap-baseline'), writeScratch('zap-rules.tsv', props.rules)] : []),
            'mkdir -p /zap/wrk',
            guarded('zap-baseline', `zap-baseline.py -t "$zap_target" -J ${q(`${name}.json`)} -m ${minutes}${rules}${extra(props.extraArgs)}`, wrk, {
              findings: [1, 2],
              marker: '"site"',
            }),
            `cp ${q(wrk)} ${q(report)}`,
            requireReport('zap-baseline', report),
          ];
        },
      }),
    );
  }
}
