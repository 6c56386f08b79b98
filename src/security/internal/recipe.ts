import { assertName, AwsKmsKeyUse, ChainsResult, GatePolicy, GateSeverity, ReportFormat, ScanCategory } from '../../core';
import { CatalogScanOptions, CatalogScanProps } from '../catalog-scan';
import { ScannerImage } from '../scanner-image';
import { assertArgs } from './shell';

/** Root of every report the catalog writes. */
export const REPORTS_ROOT = '.gatehouse/reports';
/** Root of every cache folder the catalog uses. */
export const CACHE_ROOT = '.gatehouse/cache';
/** Root of every result file (Tekton Chains names) the catalog writes. */
export const RESULTS_ROOT = '.gatehouse/results';

/** The default gate of a category (docs/security-steps.md, "gate defaults"). */
export function defaultGate(category: ScanCategory): GatePolicy {
  switch (category) {
    case ScanCategory.SECRETS:
      // any leaked credential matters: fail on everything but info
      return new GatePolicy({ failOn: GateSeverity.LOW });
    case ScanCategory.POLICY:
      // a failed deny rule is a decision the organisation already took
      return new GatePolicy({ failOn: GateSeverity.LOW });
    case ScanCategory.COMPLIANCE:
      return new GatePolicy({ failOn: GateSeverity.MEDIUM });
    default:
      return GatePolicy.defaults();
  }
}

/** What a step needs to know while rendering its commands. */
export interface RecipeContext {
  /** Step name. */
  readonly name: string;
  /** `.gatehouse/reports/<name>`. */
  readonly reportDir: string;
  /** The main report path. */
  readonly report: string;
  /** Error prefix, e.g. `bandit step "bandit"`. */
  readonly where: string;
}

/** How an entry renders itself. */
export interface Recipe {
  readonly scanner: string;
  readonly category: ScanCategory;
  readonly defaultName: string;
  readonly defaultImage: ScannerImage;
  readonly options: CatalogScanOptions;
  /** File name of the main report inside the step's report folder. */
  readonly reportFile: string;
  readonly reportFormat: ReportFormat;
  /**
   * Gatehouse format ids the main report can be in (the `id` of a parser in src/findings/parsers,
   * e.g. `bandit-json`, `sarif`): the gate refuses a report in any other format. Empty only for
   * entries whose report no gatehouse parser reads (signing).
   */
  readonly findingsFormats: string[];
  /**
   * The highest severity the gate's parser gives this scanner's findings (`NONE`: the scanner
   * gives none), as docs/security-steps.md lists it; undefined when any severity can come.
   */
  readonly maxSeverity?: GateSeverity;
  /** Whether a finding can come without a severity (default true). */
  readonly unknownSeverity?: boolean;
  /** AWS KMS keys the commands use. */
  readonly awsKmsKeys?: AwsKmsKeyUse[];
  /** Other files the gate reads or that are kept, inside the report folder. */
  readonly extraReportFiles?: string[];
  /** Whether the gate runs by default (false for SBOM and signing entries). */
  readonly gatedByDefault?: boolean;
  /** Default gate when gated. */
  readonly defaultGate?: GatePolicy;
  /** Checks props (throws with a lowercase message that names the fix). */
  readonly validate?: (ctx: RecipeContext) => void;
  /** The commands. */
  readonly commands: (ctx: RecipeContext) => string[];
  readonly cacheDirs?: string[];
  readonly env?: { [name: string]: string };
  readonly secrets?: CatalogScanOptions['secrets'];
  readonly chainsResults?: (ctx: RecipeContext) => ChainsResult[];
}

/** Turns a recipe into the props of a catalog scan. */
export function render(recipe: Recipe): CatalogScanProps {
  const o = recipe.options ?? {};
  const name = o.name ?? recipe.defaultName;
  assertName(`${recipe.scanner} step`, name);
  const where = `${recipe.scanner} step "${name}"`;
  assertArgs(where, o.extraArgs);
  if (o.image !== undefined && !(o.image instanceof ScannerImage)) {
    throw new Error(`${where} image must be a ScannerImage: use ScannerImage.of(repository, tag, digest)`);
  }
  const reportDir = `${REPORTS_ROOT}/${name}`;
  const report = `${reportDir}/${recipe.reportFile}`;
  const ctx: RecipeContext = { name, reportDir, report, where };
  recipe.validate?.(ctx);
  const gated = o.gate !== undefined || (recipe.gatedByDefault ?? true);
  const extraReports = (recipe.extraReportFiles ?? []).map((f) => `${reportDir}/${f}`);
  const secrets = [...(recipe.secrets ?? []), ...(o.secrets ?? [])];
  return {
    name,
    scanner: recipe.scanner,
    category: recipe.category,
    scannerImage: o.image ?? recipe.defaultImage,
    reportFile: report,
    reportFormat: recipe.reportFormat,
    commands: [`mkdir -p '${reportDir}'`, ...recipe.commands(ctx)],
    findingsReports: [report],
    findingsFormats: [...recipe.findingsFormats],
    reports: [
      { name: 'findings', paths: [report], format: recipe.reportFormat },
      ...(extraReports.length > 0 ? [{ name: 'extra', paths: extraReports }] : []),
    ],
    gated,
    gate: gated ? o.gate ?? recipe.defaultGate ?? defaultGate(recipe.category) : undefined,
    runAfter: o.runAfter,
    inputs: o.inputs,
    outputs: o.outputs,
    timeoutMinutes: o.timeoutMinutes,
    env: { ...(recipe.env ?? {}), ...(o.env ?? {}) },
    secrets: secrets.length > 0 ? secrets : undefined,
    cacheDirs: recipe.cacheDirs,
    chainsResults: recipe.chainsResults?.(ctx),
    maxSeverity: recipe.maxSeverity,
    unknownSeverity: recipe.unknownSeverity,
    awsKmsKeys: recipe.awsKmsKeys,
  };
}
