import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { extra, guarded, q, requireReport } from '../internal/shell';
import { emptyScratch, refuseArgs, refuseMarkers, refuseRepositoryConfig, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
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
   * secretlint configuration (the JSON of a `.secretlintrc.json`), given in the pipeline
   * definition. The step writes it to a temporary folder outside the source tree.
   * @default - the recommended preset
   */
  readonly config?: string;
  /**
   * Not supported: a configuration file in the repository being judged could disable rules or
   * allow its own secrets. Setting it throws; give the configuration with `config`.
   * @default - none
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
  /**
   * Report format. `SARIF` needs `@secretlint/secretlint-formatter-sarif` (installed with `npx`
   * when the image has no `secretlint`); `JSON` uses secretlint's built-in formatter, for a
   * secretlint installed without the SARIF formatter (e.g. from a project's devDependencies on a
   * machine without registry access). The step strips the scanned files' text from the JSON report
   * and keeps only the files with findings, their paths relative to the source root.
   * @default SecretlintFormat.SARIF
   */
  readonly format?: SecretlintFormat;
}

/** The report format of a secretlint scan. */
export enum SecretlintFormat {
  /** SARIF, with `@secretlint/secretlint-formatter-sarif`. */
  SARIF = 'sarif',
  /** secretlint's built-in JSON formatter, without the scanned files' text. */
  JSON = 'json',
}

/**
 * Rewrites secretlint's JSON report (argv[1], one entry per scanned file with its whole unmasked
 * text) into argv[2]: only the files with findings, without `sourceContent`, their paths relative
 * to the folder it ran in.
 */
const STRIP_JSON =
  'const fs=require("fs");const base=process.cwd()+"/";const d=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));' +
  'if(!Array.isArray(d))throw new Error("secretlint wrote no JSON array");' +
  'fs.writeFileSync(process.argv[2],JSON.stringify(d.filter((f)=>Array.isArray(f.messages)&&f.messages.length>0).map((f)=>{' +
  'const{sourceContent,...rest}=f;return{...rest,filePath:typeof f.filePath==="string"&&f.filePath.startsWith(base)?f.filePath.slice(base.length):f.filePath}})))';

const GLOB = /^!?[A-Za-z0-9._\/*?{},@+=-]+$/;
const RECOMMENDED = '@secretlint/secretlint-rule-preset-recommend';

/** The comments secretlint's `filter-comments` rule (part of the recommended preset) honours. */
const SECRETLINT_DISABLE_COMMENT = 'secretlint-(disable|enable)';

/** The configuration the step writes: the definition's, or the recommended preset. */
function secretlintConfig(where: string, config: string | undefined): string {
  let doc: { rules?: unknown; [key: string]: unknown };
  try {
    doc = JSON.parse(config ?? JSON.stringify({ rules: [{ id: RECOMMENDED }] }));
  } catch (e) {
    throw new Error(`${where} config is not JSON (${(e as Error).message}): give the content of a .secretlintrc.json`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Array.isArray(doc.rules) || doc.rules.length === 0) {
    throw new Error(`${where} config has no "rules" list: give e.g. {"rules":[{"id":"${RECOMMENDED}"}]}`);
  }
  return JSON.stringify(doc);
}

/**
 * Secret scanning with secretlint, SARIF out (the JSON formatter embeds every scanned file's
 * unmasked text, SARIF does not). secretlint exits 0 with `--output` even when it finds secrets
 * and 2 on errors, so 0 and 1 read as "ran"; the report decides. The gatehouse folder itself is
 * not linted. In-source suppressions are off: the configuration comes from the definition
 * (`--secretlintrc` in a temporary folder, so `.secretlintrc.*` of the repository is not read),
 * `--secretlintignore` names an empty file (not the repository's `.secretlintignore`) and
 * `--no-gitignore` lints files a committed `.gitignore` lists. `secretlint-disable` comments are
 * honoured by the recommended preset's `filter-comments` rule, which secretlint 13 cannot disable
 * inside a preset, so the step refuses to scan a tree (outside `node_modules` and `.gatehouse`)
 * holding one.
 */
export class Secretlint extends CatalogScan {
  constructor(props: SecretlintProps = {}) {
    const patterns = props.patterns ?? ['**/*'];
    const version = props.version ?? '13.0.6';
    const preset = props.presetVersion ?? '13.0.7';
    const sarif = props.sarifFormatterVersion ?? '13.0.5';
    const json = props.format === SecretlintFormat.JSON;
    let config = '';
    super(
      render({
        scanner: 'secretlint',
        category: ScanCategory.SECRETS,
        defaultName: 'secretlint',
        defaultImage: ScannerImage.NODE,
        options: props,
        reportFile: json ? 'secretlint.json' : 'secretlint.sarif',
        reportFormat: json ? ReportFormat.JSON : ReportFormat.SARIF,
        findingsFormats: [json ? 'secretlint-json' : 'sarif'],
        // SARIF levels error, warning, note, none; secretlint writes no security-severity
        maxSeverity: GateSeverity.HIGH,
        unknownSeverity: false,
        cacheDirs: [`${CACHE_ROOT}/npm`],
        // no install scripts from the tool's dependency tree (and no native builds) run in the pipeline
        env: { npm_config_cache: `${CACHE_ROOT}/npm`, npm_config_update_notifier: 'false', npm_config_ignore_scripts: 'true' },
        validate: ({ where }) => {
          refuseRepositoryConfig(where, 'configFile', props.configFile, 'config (the JSON of a .secretlintrc.json)');
          if (patterns.length === 0) throw new Error(`${where} has no patterns: give file globs like "**/*"`);
          for (const p of patterns) {
            if (!GLOB.test(p) || p.split('/').includes('..')) {
              throw new Error(`${where} pattern "${p}" is not a plain glob: use letters, digits, "*", "?", "/", "." and "-"`);
            }
          }
          assertVersion(`${where} secretlint`, version);
          assertVersion(`${where} preset`, preset);
          assertVersion(`${where} SARIF formatter`, sarif);
          refuseArgs(
            where,
            props.extraArgs,
            /^--(secretlintrc|secretlintignore|secretlintrcJSON|gitignore)(=|$)/,
            'give the configuration with config; accept findings with gate exemptions, never a file of the source tree',
          );
          config = secretlintConfig(where, props.config);
        },
        commands: ({ report }) => {
          const npx =
            `npx --yes -p ${q(`secretlint@${version}`)} -p ${q(`@secretlint/secretlint-rule-preset-recommend@${preset}`)}` +
            ` -p ${q(`@secretlint/secretlint-formatter-sarif@${sarif}`)} secretlint`;
          // JSON: secretlint writes into the temporary folder; the report is the stripped copy
          const output = json ? scratchFile('secretlint-full.json') : q(report);
          const run =
            `if command -v secretlint >/dev/null 2>&1; then set -- secretlint; else set -- ${npx}; fi;` +
            ` "$@" ${patterns.map(q).join(' ')} '!.gatehouse/**' '!**/node_modules/**' --secretlintrc ${scratchFile('secretlintrc.json')}` +
            ` --secretlintignore ${scratchFile('secretlintignore')} --no-gitignore` +
            ` --format ${json ? 'json' : '@secretlint/secretlint-formatter-sarif'} --output ${output}${extra(props.extraArgs)}`;
          return [
            scratchDir('secretlint'),
            refuseMarkers('secretlint', ["'.'"], SECRETLINT_DISABLE_COMMENT, 'secretlint-disable / secretlint-enable comments', ['node_modules', './.gatehouse']),
            writeScratch('secretlintrc.json', config),
            emptyScratch('secretlintignore'),
            ...(json
              ? [
                guarded('secretlint', run, 'secretlint-full.json', { findings: [1] }),
                `[ -s ${output} ] || { echo "gatehouse: secretlint wrote no report: failing closed" >&2; exit 1; }`,
                `node -e ${q(STRIP_JSON)} ${output} ${q(report)}`,
              ]
              : [guarded('secretlint', run, report, { findings: [1], marker: '"runs"' })]),
            requireReport('secretlint', report),
          ];
        },
      }),
    );
  }
}
