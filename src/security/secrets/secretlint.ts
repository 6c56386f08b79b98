import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { extra, guarded, q, requireReport } from '../internal/shell';
import { emptyScratch, refuseArgs, refuseRepositoryConfig, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
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
   * definition. The step writes it to a temporary folder outside the source tree. Every rule
   * preset in it gets `@secretlint/secretlint-rule-filter-comments` disabled, so
   * `secretlint-disable` comments in the source are not honoured; a configuration that enables that
   * rule itself is refused.
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
}

const GLOB = /^!?[A-Za-z0-9._\/*?{},@+=-]+$/;
const RECOMMENDED = '@secretlint/secretlint-rule-preset-recommend';
const FILTER_COMMENTS = '@secretlint/secretlint-rule-filter-comments';

interface RuleEntry {
  id?: unknown;
  disabled?: unknown;
  rules?: unknown;
  [key: string]: unknown;
}

function isFilterComments(id: unknown): boolean {
  return typeof id === 'string' && /(^|\/)(secretlint-rule-)?filter-comments$/.test(id);
}

/**
 * The configuration the step writes: the definition's (or the recommended preset) with the comment
 * filter disabled in every preset. Throws when the configuration is not JSON with a `rules` list,
 * or enables the comment filter as a rule of its own.
 */
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
  const rules = (doc.rules as RuleEntry[]).map((rule, i) => {
    if (typeof rule !== 'object' || rule === null || typeof rule.id !== 'string') {
      throw new Error(`${where} config rules[${i}] has no "id": every rule and preset needs one`);
    }
    if (isFilterComments(rule.id) && rule.disabled !== true) {
      throw new Error(`${where} config enables ${rule.id}, which would honour secretlint-disable comments in the source: remove it`);
    }
    if (!/(^|\/)(secretlint-rule-)?preset-/.test(rule.id)) return rule;
    const inner = rule.rules === undefined ? [] : rule.rules;
    if (!Array.isArray(inner)) throw new Error(`${where} config rules[${i}].rules is not a list`);
    for (const r of inner as RuleEntry[]) {
      if (typeof r === 'object' && r !== null && isFilterComments(r.id) && r.disabled !== true) {
        throw new Error(`${where} config enables ${String(r.id)} in ${rule.id}, which would honour secretlint-disable comments in the source: remove it`);
      }
    }
    const others = (inner as RuleEntry[]).filter((r) => !(typeof r === 'object' && r !== null && isFilterComments(r.id)));
    return { ...rule, rules: [...others, { id: FILTER_COMMENTS, disabled: true }] };
  });
  return JSON.stringify({ ...doc, rules });
}

/**
 * Secret scanning with secretlint, SARIF out (the JSON formatter embeds every scanned file's
 * unmasked text, SARIF does not). secretlint exits 0 with `--output` even when it finds secrets
 * and 2 on errors, so 0 and 1 read as "ran"; the report decides. The gatehouse folder itself is
 * not linted. In-source suppressions are off: the configuration comes from the definition
 * (`--secretlintrc` in a temporary folder, so `.secretlintrc.*` of the repository is not read) with
 * the `secretlint-disable` comment filter disabled, `--secretlintignore` names an empty file (not
 * the repository's `.secretlintignore`) and `--no-gitignore` lints files a committed `.gitignore`
 * lists.
 */
export class Secretlint extends CatalogScan {
  constructor(props: SecretlintProps = {}) {
    const patterns = props.patterns ?? ['**/*'];
    const version = props.version ?? '13.0.6';
    const preset = props.presetVersion ?? '13.0.7';
    const sarif = props.sarifFormatterVersion ?? '13.0.5';
    let config = '';
    super(
      render({
        scanner: 'secretlint',
        category: ScanCategory.SECRETS,
        defaultName: 'secretlint',
        defaultImage: ScannerImage.NODE,
        options: props,
        reportFile: 'secretlint.sarif',
        reportFormat: ReportFormat.SARIF,
        findingsFormats: ['sarif'],
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
          const run =
            `if command -v secretlint >/dev/null 2>&1; then set -- secretlint; else set -- ${npx}; fi;` +
            ` "$@" ${patterns.map(q).join(' ')} '!.gatehouse/**' '!**/node_modules/**' --secretlintrc ${scratchFile('secretlintrc.json')}` +
            ` --secretlintignore ${scratchFile('secretlintignore')} --no-gitignore` +
            ` --format @secretlint/secretlint-formatter-sarif --output ${q(report)}${extra(props.extraArgs)}`;
          return [
            scratchDir('secretlint'),
            writeScratch('secretlintrc.json', config),
            emptyScratch('secretlintignore'),
            guarded('secretlint', run, report, { findings: [1], marker: '"runs"' }),
            requireReport('secretlint', report),
          ];
        },
      }),
    );
  }
}
