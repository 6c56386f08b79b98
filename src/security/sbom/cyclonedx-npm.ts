import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { CACHE_ROOT, render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport, ZERO_ONLY } from '../internal/shell';
import { assertVersion } from '../internal/version';
import { ScannerImage } from '../scanner-image';

/** Options of a CycloneDX npm SBOM. */
export interface CyclonedxNpmProps extends CatalogScanOptions {
  /**
   * Folder holding `package.json` and `package-lock.json`.
   * @default '.'
   */
  readonly directory?: string;
  /**
   * Read the lockfile only (`--package-lock-only`): no `npm install` needed.
   * @default true
   */
  readonly packageLockOnly?: boolean;
  /**
   * Leave devDependencies out (`--omit dev`).
   * @default false
   */
  readonly omitDev?: boolean;
  /**
   * CycloneDX spec version.
   * @default '1.6'
   */
  readonly specVersion?: string;
  /**
   * `@cyclonedx/cyclonedx-npm` version run with `npx` when the image has no `cyclonedx-npm`.
   * @default '6.0.1'
   */
  readonly version?: string;
}

/**
 * SBOM of an npm project with `cyclonedx-npm --output-format JSON --output-file <report>`. Not
 * gated unless a gate is given. Any non-zero exit is an error.
 */
export class CyclonedxNpm extends CatalogScan {
  /** The SBOM file. */
  public readonly sbomFile: string;

  constructor(props: CyclonedxNpmProps = {}) {
    const dir = props.directory ?? '.';
    const version = props.version ?? '6.0.1';
    const spec = props.specVersion ?? '1.6';
    super(
      render({
        scanner: 'cyclonedx-npm',
        category: ScanCategory.SBOM,
        defaultName: 'cyclonedx-npm',
        defaultImage: ScannerImage.NODE,
        options: props,
        reportFile: 'sbom.cdx.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['cyclonedx-json'],
        gatedByDefault: false,
        cacheDirs: [`${CACHE_ROOT}/npm`],
        // no install scripts from the tool's dependency tree (and no native builds) run in the pipeline
        env: { npm_config_cache: `${CACHE_ROOT}/npm`, npm_config_update_notifier: 'false', npm_config_ignore_scripts: 'true' },
        validate: ({ where }) => {
          assertPath(where, 'directory', dir);
          assertVersion(where, version);
          if (!/^1\.[2-7]$/.test(spec)) throw new Error(`${where} specVersion "${spec}" is not a CycloneDX 1.2–1.7 version`);
        },
        commands: ({ report }) => {
          // the path is made absolute before the step changes into `directory`
          const out = '"$gatehouse_sbom"';
          const flags =
            ` --output-format JSON --spec-version ${spec} --output-file ${out}` +
            `${props.packageLockOnly ?? true ? ' --package-lock-only' : ''}${props.omitDev ? ' --omit dev' : ''}${extra(props.extraArgs)}`;
          const run =
            `if command -v cyclonedx-npm >/dev/null 2>&1; then set -- cyclonedx-npm; else set -- npx --yes ${q(`@cyclonedx/cyclonedx-npm@${version}`)}; fi;` +
            ` gatehouse_sbom="$PWD"/${q(report)}; (cd ${q(dir)} && "$@"${flags})`;
          return [guarded('cyclonedx-npm', run, report, ZERO_ONLY), requireReport('cyclonedx-npm', report)];
        },
      }),
    );
    this.sbomFile = this.reportFile;
  }
}
