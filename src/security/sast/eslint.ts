import { GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { refuseArgs, refuseRepositoryConfig, scratchDir, scratchFile, writeScratch } from '../internal/suppressions';
import { assertVersion } from '../internal/version';
import { ScannerImage } from '../scanner-image';

/** Options of an ESLint security scan. */
export interface EslintSecurityProps extends CatalogScanOptions {
  /**
   * Files or folders to lint (ESLint lints `.js`, `.mjs` and `.cjs` files in folders).
   * @default ['.']
   */
  readonly paths?: string[];
  /**
   * Rules and their levels (`error` reads as high, `warn` as medium at the gate), given in the
   * pipeline definition: rules of eslint-plugin-security (`security/...`) or ESLint's own.
   * @default - every rule of eslint-plugin-security's recommended set, code execution rules
   * (`detect-eval-with-expression`, `detect-child-process`, `detect-non-literal-require`) as
   * `error`, the others as `warn`
   */
  readonly rules?: { [rule: string]: string };
  /**
   * Not supported: an ESLint configuration of the repository being judged could turn rules off or
   * ignore files. Setting it throws; give the rules with `rules`.
   * @default - none
   */
  readonly configFile?: string;
  /**
   * ESLint version run with `npx` when the image has no `eslint`.
   * @default '9.39.1'
   */
  readonly version?: string;
  /**
   * eslint-plugin-security version run with it.
   * @default '4.0.0'
   */
  readonly pluginVersion?: string;
  /**
   * @microsoft/eslint-formatter-sarif version run with it.
   * @default '3.1.0'
   */
  readonly sarifFormatterVersion?: string;
}

/** eslint-plugin-security's recommended rules, code execution as `error`. */
const ESLINT_SECURITY_DEFAULT_RULES: { [rule: string]: string } = Object.fromEntries(
  [
    'detect-buffer-noassert', 'detect-child-process', 'detect-disable-mustache-escape', 'detect-eval-with-expression', 'detect-new-buffer',
    'detect-no-csrf-before-method-override', 'detect-non-literal-fs-filename', 'detect-non-literal-regexp', 'detect-non-literal-require',
    'detect-object-injection', 'detect-possible-timing-attacks', 'detect-pseudoRandomBytes', 'detect-unsafe-regex', 'detect-bidi-characters',
    'detect-invisible-characters',
  ].map((r) => [`security/${r}`, ['detect-eval-with-expression', 'detect-child-process', 'detect-non-literal-require'].includes(r) ? 'error' : 'warn']),
);

const RULE = /^(@?[a-z0-9-]+\/)?[a-zA-Z0-9-]+$/;
const LEVELS = ['error', 'warn', 'off'];

/**
 * Rewrites the SARIF ESLint's formatter wrote (absolute `file://` URIs of the folder it ran in) to
 * paths relative to it, so findings, fingerprints and exemption paths do not depend on where the
 * step ran.
 */
const RELATIVE_URIS =
  'const fs=require("fs");const f=process.argv[1];const base="file://"+process.cwd()+"/";const d=JSON.parse(fs.readFileSync(f,"utf8"));' +
  'for(const r of d.runs||[]){for(const a of r.artifacts||[]){if(a.location&&typeof a.location.uri==="string"&&a.location.uri.startsWith(base))a.location.uri=a.location.uri.slice(base.length)}' +
  'for(const x of r.results||[]){for(const l of x.locations||[]){const p=l.physicalLocation&&l.physicalLocation.artifactLocation;' +
  'if(p&&typeof p.uri==="string"&&p.uri.startsWith(base))p.uri=p.uri.slice(base.length)}}}fs.writeFileSync(f,JSON.stringify(d))';

/**
 * SAST for JavaScript with ESLint and eslint-plugin-security, SARIF out
 * (`@microsoft/eslint-formatter-sarif`). No configuration of the repository is read: the rules
 * come from the definition as `--rule` options with `--no-config-lookup` (so no
 * `eslint.config.*`, and none of its ignores), `ESLINT_USE_FLAT_CONFIG=true` (so no
 * `.eslintrc`), and `--no-inline-config` (so `eslint-disable` comments are not honoured). The
 * plugin and the formatter are resolved beside the `eslint` that runs (`NODE_PATH`), not from
 * the repository. ESLint exits 1 when it reports errors (findings) and 2 when it fails (error).
 */
export class EslintSecurity extends CatalogScan {
  constructor(props: EslintSecurityProps = {}) {
    const paths = props.paths ?? ['.'];
    const rules = props.rules ?? ESLINT_SECURITY_DEFAULT_RULES;
    const version = props.version ?? '9.39.1';
    const plugin = props.pluginVersion ?? '4.0.0';
    const sarif = props.sarifFormatterVersion ?? '3.1.0';
    super(
      render({
        scanner: 'eslint',
        category: ScanCategory.SAST,
        defaultName: 'eslint-security',
        defaultImage: ScannerImage.NODE,
        options: props,
        reportFile: 'eslint.sarif',
        reportFormat: ReportFormat.SARIF,
        findingsFormats: ['sarif'],
        // SARIF level error (high) or warning (medium); the formatter writes no security-severity
        maxSeverity: GateSeverity.HIGH,
        unknownSeverity: false,
        cacheDirs: [`${CACHE_ROOT}/npm`],
        env: {
          npm_config_cache: `${CACHE_ROOT}/npm`,
          npm_config_update_notifier: 'false',
          npm_config_ignore_scripts: 'true',
          ESLINT_USE_FLAT_CONFIG: 'true',
        },
        validate: ({ where }) => {
          refuseRepositoryConfig(where, 'configFile', props.configFile, 'rules');
          if (paths.length === 0) throw new Error(`${where} has no paths: list the files or folders to lint, e.g. ["."]`);
          paths.forEach((p) => assertPath(where, 'path', p));
          const bad = Object.entries(rules).filter(([r, l]) => !RULE.test(r) || !LEVELS.includes(l));
          if (bad.length > 0) {
            throw new Error(`${where} rules ${bad.map(([r, l]) => `${r}: ${l}`).join(', ')} are not rule ids with a level: give e.g. {"security/detect-eval-with-expression": "error"} (levels error, warn, off)`);
          }
          if (!Object.values(rules).some((l) => l !== 'off')) throw new Error(`${where} turns every rule off: give at least one rule at error or warn`);
          assertVersion(`${where} eslint`, version);
          assertVersion(`${where} eslint-plugin-security`, plugin);
          assertVersion(`${where} SARIF formatter`, sarif);
          refuseArgs(
            where,
            props.extraArgs,
            /^(-c|--config|--inline-config|--rulesdir|--resolve-plugins-relative-to|--ignore-path|--ignore-pattern|--no-ignore|--env-info|-f|--format|-o|--output-file)(=|$)/,
            'give the rules with rules; accept findings with gate exemptions, never a file of the source tree',
          );
        },
        commands: ({ report }) => {
          const npx = `npx --yes -p ${q(`eslint@${version}`)} -p ${q(`eslint-plugin-security@${plugin}`)} -p ${q(`@microsoft/eslint-formatter-sarif@${sarif}`)}`;
          // the eslint that runs (the image's, else one npx installs), and the node_modules holding
          // it (its realpath is …/node_modules/eslint/bin/eslint.js): the plugin and the formatter
          // are found there, not in the repository
          const locate =
            `if command -v eslint >/dev/null 2>&1; then gatehouse_eslint="$(command -v eslint)"; else gatehouse_eslint="$(${npx} -c 'command -v eslint')"; fi;` +
            ' [ -n "$gatehouse_eslint" ] || { echo "gatehouse: eslint: not installed, and npx could not install it" >&2; exit 1; };' +
            ' gatehouse_modules="$(dirname "$(dirname "$(dirname "$(realpath "$gatehouse_eslint")")")")"';
          const run =
            'NODE_PATH="$gatehouse_modules${NODE_PATH:+:$NODE_PATH}" "$gatehouse_eslint" --no-config-lookup --no-inline-config --no-warn-ignored --plugin security' +
            ` --rule "$(cat ${scratchFile('rules.json')})" --format @microsoft/eslint-formatter-sarif --output-file ${q(report)}${extra(props.extraArgs)} ${paths.map(q).join(' ')}`;
          return [
            scratchDir('eslint'),
            writeScratch('rules.json', JSON.stringify(rules)),
            locate,
            guarded('eslint', run, report, { findings: [1], marker: '"runs"' }),
            requireReport('eslint', report),
            `node -e ${q(RELATIVE_URIS)} ${q(report)}`,
          ];
        },
      }),
    );
  }
}
