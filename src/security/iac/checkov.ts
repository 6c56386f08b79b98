import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { refuseArgs, refuseFiles, refuseMarkers, SCRATCH, scratchDir } from '../internal/suppressions';
import { ScannerImage } from '../scanner-image';

/** Options of a Checkov scan. */
export interface CheckovProps extends CatalogScanOptions {
  /**
   * Folder to scan.
   * @default '.'
   */
  readonly directory?: string;
  /**
   * Frameworks to run (`--framework`), e.g. `terraform`, `cloudformation`, `kubernetes`, `dockerfile`.
   * @default - every framework Checkov detects
   */
  readonly frameworks?: string[];
  /**
   * Checks to skip (`--skip-check`), e.g. `CKV_AWS_18`.
   * @default - none
   */
  readonly skipChecks?: string[];
}

const WORD = /^[A-Za-z0-9_.-]+$/;

/** Inline skip comments checkov honours (`#checkov:skip=CKV_AWS_20:reason`, the older `bridgecrew:skip=`). */
const CHECKOV_SKIP_COMMENT = '(checkov|bridgecrew):skip=';

/**
 * IaC misconfiguration with Checkov, without its vendor's platform: no API key is passed,
 * `--skip-download` keeps it from fetching platform data, and `BC_API_KEY` is never set.
 * `--soft-fail` keeps findings from failing the run (exit 0), so any non-zero exit is an error.
 * The JSON report is `results_json.json` in the step's report folder. In-source suppressions:
 * checks are skipped only with `skipChecks` (the definition); checkov reads `.checkov.yaml` /
 * `.checkov.yml` from the scanned folder, the working folder and `HOME`, and honours `checkov:skip=`
 * comments, with no flag to turn either off, so the step runs with `HOME` set to an empty
 * temporary folder and refuses to scan while the repository holds such a file or comment.
 */
export class Checkov extends CatalogScan {
  constructor(props: CheckovProps = {}) {
    const dir = props.directory ?? '.';
    super(
      render({
        scanner: 'checkov',
        category: ScanCategory.IAC,
        defaultName: 'checkov',
        defaultImage: ScannerImage.CHECKOV,
        options: props,
        reportFile: 'results_json.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['checkov-json'],
        maxSeverity: GateSeverity.CRITICAL,
        env: { CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: 'false', BC_SKIP_MAPPING: 'TRUE' },
        validate: ({ where }) => {
          assertPath(where, 'directory', dir);
          for (const w of [...(props.frameworks ?? []), ...(props.skipChecks ?? [])]) {
            if (!WORD.test(w)) throw new Error(`${where} framework or check "${w}" is not a plain word: use letters, digits, "_", "." and "-"`);
          }
          for (const a of props.extraArgs ?? []) {
            if (/^--(bc-api-key|prisma-api-url|repo-id)/.test(a)) {
              throw new Error(`${where} extraArgs "${a}" would call the vendor platform: the catalog runs Checkov offline, drop it`);
            }
          }
          refuseArgs(where, props.extraArgs, /^--(config-file|baseline)(=|$)/, 'skip checks with skipChecks in the definition; accept findings with gate exemptions');
        },
        commands: ({ report, reportDir }) => {
          const fw = props.frameworks?.length ? ` --framework ${props.frameworks.join(' ')}` : '';
          const skip = props.skipChecks?.length ? ` --skip-check ${q(props.skipChecks.join(','))}` : '';
          const configs = [...new Set([dir, '.'])].flatMap((d) => ['.checkov.yaml', '.checkov.yml'].map((f) => (d === '.' ? q(f) : `${q(d)}/${f}`)));
          return [
            'unset BC_API_KEY PRISMA_API_URL',
            scratchDir('checkov'),
            refuseFiles('checkov', configs, 'a checkov configuration that could skip checks, paths or frameworks'),
            // checkov honours `checkov:skip=` / `bridgecrew:skip=` comments and has no flag to turn them off
            refuseMarkers('checkov', [q(dir)], CHECKOV_SKIP_COMMENT, 'checkov:skip comments'),
            guarded(
              'checkov',
              // HOME: checkov also reads ~/.checkov.yaml; the temporary folder has none
              `HOME=${SCRATCH} checkov -d ${q(dir)}${fw}${skip} --output json --output-file-path ${q(reportDir)} --soft-fail --skip-download --quiet${extra(props.extraArgs)}`,
              report,
              ZERO_ONLY,
            ),
            requireReport('checkov', report),
          ];
        },
      }),
    );
  }
}
