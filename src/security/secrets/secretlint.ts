import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { assertVersion } from '../internal/version';
import { ScannerImage } from '../scanner-image';

/** Options of a secretlint scan. */
export interface SecretlintProps extends CatalogScanOptions {
  /**
   * File globs to lint.
   * @default ['**\/*']
   */
  readonly patterns?: string[];
  /**
   * secretlint configuration, relative to the source root. When the file does not exist, the
   * recommended preset is used.
   * @default '.secretlintrc.json'
   */
  readonly configFile?: string;
  /**
   * secretlint version run with `npx` when the image has no `secretlint`.
   * @default '13.0.6'
   */
  readonly version?: string;
  /**
   * Version of `@secretlint/secretlint-rule-preset-recommend` run with it.
   * @default '13.0.7'
   */
  readonly presetVersion?: string;
  /**
   * Version of `@secretlint/secretlint-formatter-sarif` run with it.
   * @default '13.0.5'
   */
  readonly sarifFormatterVersion?: string;
}

const GLOB = /^!?[A-Za-z0-9._\/*?{},@+=-]+$/;
const DEFAULT_CONFIG = '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}';

/**
 * Secret scanning with secretlint, SARIF out (the JSON formatter embeds every scanned file's
 * unmasked text, SARIF does not). secretlint exits 0 with `--output` even when it finds secrets
 * and 2 on errors, so 0 and 1 read as "ran"; the report decides. The gatehouse folder itself is
 * not linted.
 */
export class Secretlint extends CatalogScan {
  constructor(props: SecretlintProps = {}) {
    const patterns = props.patterns ?? ['**/*'];
    const config = props.configFile ?? '.secretlintrc.json';
    const version = props.version ?? '13.0.6';
    const preset = props.presetVersion ?? '13.0.7';
    const sarif = props.sarifFormatterVersion ?? '13.0.5';
    const fallbackConfig = `${CACHE_ROOT}/secretlint/secretlintrc.json`;
    super(
      render({
        scanner: 'secretlint',
        category: ScanCategory.SECRETS,
        defaultName: 'secretlint',
        defaultImage: ScannerImage.NODE,
        options: props,
        reportFile: 'secretlint.sarif',
        reportFormat: ReportFormat.SARIF,
        cacheDirs: [`${CACHE_ROOT}/npm`],
        // no install scripts from the tool's dependency tree (and no native builds) run in the pipeline
        env: { npm_config_cache: `${CACHE_ROOT}/npm`, npm_config_update_notifier: 'false', npm_config_ignore_scripts: 'true' },
        validate: ({ where }) => {
          if (patterns.length === 0) throw new Error(`${where} has no patterns: give file globs like "**/*"`);
          for (const p of patterns) {
            if (!GLOB.test(p) || p.split('/').includes('..')) {
              throw new Error(`${where} pattern "${p}" is not a plain glob: use letters, digits, "*", "?", "/", "." and "-"`);
            }
          }
          assertPath(where, 'configFile', config);
          assertVersion(`${where} secretlint`, version);
          assertVersion(`${where} preset`, preset);
          assertVersion(`${where} SARIF formatter`, sarif);
        },
        commands: ({ report }) => {
          const npx =
            `npx --yes -p ${q(`secretlint@${version}`)} -p ${q(`@secretlint/secretlint-rule-preset-recommend@${preset}`)}` +
            ` -p ${q(`@secretlint/secretlint-formatter-sarif@${sarif}`)} secretlint`;
          const pickConfig =
            `secretlint_config=${q(config)}; [ -f "$secretlint_config" ] || { secretlint_config=${q(fallbackConfig)};` +
            ` mkdir -p ${q(`${CACHE_ROOT}/secretlint`)}; printf '%s\\n' ${q(DEFAULT_CONFIG)} > "$secretlint_config"; }`;
          const run =
            `if command -v secretlint >/dev/null 2>&1; then set -- secretlint; else set -- ${npx}; fi;` +
            ` "$@" ${patterns.map(q).join(' ')} '!.gatehouse/**' '!**/node_modules/**' --secretlintrc "$secretlint_config"` +
            ` --format @secretlint/secretlint-formatter-sarif --output ${q(report)}${extra(props.extraArgs)}`;
          return [pickConfig, guarded('secretlint', run, report, { findings: [1], marker: '"runs"' }), requireReport('secretlint', report)];
        },
      }),
    );
  }
}
