import { ReportFormat, ScanCategory } from '../../core';
import { CatalogScan, CatalogScanOptions } from '../catalog-scan';
import { render } from '../internal/recipe';
import { assertPath, extra, guarded, q, requireReport } from '../internal/shell';
import { refuseFiles } from '../internal/suppressions';
import { ScannerImage } from '../scanner-image';

/** Options of a Conftest run. */
export interface ConftestProps extends CatalogScanOptions {
  /** Files to test (Kubernetes YAML, Terraform, Dockerfiles, CloudFormation, pipeline YAML …). */
  readonly files: string[];
  /**
   * Folder of Rego policies (`--policy`), relative to the source root.
   * @default 'policy'
   */
  readonly policyDir?: string;
  /**
   * Rego namespaces to evaluate (`--namespace`).
   * @default - `main`
   */
  readonly namespaces?: string[];
  /**
   * Evaluate every namespace (`--all-namespaces`).
   * @default false
   */
  readonly allNamespaces?: boolean;
}

const NAMESPACE = /^[A-Za-z0-9_.]+$/;

/** The files conftest reads its settings from in the working folder (`conftest.<ext>`, every extension its configuration loader reads). */
const CONFTEST_CONFIGS = ['json', 'toml', 'yaml', 'yml', 'hcl', 'tfvars', 'ini', 'env', 'dotenv', 'properties', 'props', 'prop'].map((e) => `conftest.${e}`);

/**
 * Policy as code with Conftest (OPA/Rego): `conftest test <files> --policy <dir> --output json`.
 * Conftest exits 1 when a policy fails; a 1 counts as findings only when the JSON report was
 * written, any other code is an error. Conftest reads `conftest.toml` (or `.yaml`, `.json` …) from
 * the working folder (the catalog's v0.54 has no flag to name another), so the step refuses to run while
 * the repository holds one. The Rego policies themselves (`policyDir`) are files of the source
 * tree: a policy and its `exception` rules are as trusted as the repository.
 */
export class Conftest extends CatalogScan {
  constructor(props: ConftestProps) {
    const policy = props.policyDir ?? 'policy';
    super(
      render({
        scanner: 'conftest',
        category: ScanCategory.POLICY,
        defaultName: 'conftest',
        defaultImage: ScannerImage.CONFTEST,
        options: props,
        reportFile: 'conftest.json',
        reportFormat: ReportFormat.JSON,
        findingsFormats: ['conftest-json'],
        validate: ({ where }) => {
          if (!props.files || props.files.length === 0) throw new Error(`${where} has no files: list the files the policies test`);
          props.files.forEach((f) => assertPath(where, 'file', f));
          assertPath(where, 'policyDir', policy);
          for (const n of props.namespaces ?? []) {
            if (!NAMESPACE.test(n)) throw new Error(`${where} namespace "${n}" is not a Rego package name`);
          }
          if (props.allNamespaces && props.namespaces?.length) {
            throw new Error(`${where} sets both namespaces and allNamespaces: keep one`);
          }
        },
        commands: ({ report }) => {
          const ns = props.allNamespaces ? ' --all-namespaces' : (props.namespaces ?? []).map((n) => ` --namespace ${n}`).join('');
          return [
            refuseFiles('conftest', CONFTEST_CONFIGS.map(q), 'a conftest configuration that could change the namespaces, policies or ignored files'),
            guarded(
              'conftest',
              `conftest test ${props.files.map(q).join(' ')} --policy ${q(policy)}${ns} --output json --no-color${extra(props.extraArgs)} > ${q(report)}`,
              report,
              { findings: [1], marker: '"failures"' },
            ),
            requireReport('conftest', report),
          ];
        },
      }),
    );
  }
}
