import { CACHE_ROOT } from './recipe';
import { q } from './shell';
import { emptyScratch, refuseArgs, scratchDir, scratchFile, writeScratch } from './suppressions';
import { TrivyDatabaseOptions } from '../sca/trivy-fs';

/** Trivy's cache folder inside the source tree (engines cache it between runs). */
export const TRIVY_CACHE = `${CACHE_ROOT}/trivy`;

/** Cache and database flags of every Trivy entry. */
export function trivyDbFlags(o: TrivyDatabaseOptions): string {
  return ` --cache-dir ${q(TRIVY_CACHE)}${o.skipDbUpdate ? ' --skip-db-update' : ''}${o.offlineScan ? ' --offline-scan' : ''}`;
}

/**
 * Commands that prepare the files `TRIVY_NO_REPO_FILES` names: an empty configuration and an empty
 * ignore file in a temporary folder outside the source tree.
 */
export function trivyScratch(tool: string): string[] {
  return [scratchDir(tool), writeScratch('trivy.yaml', '{}'), emptyScratch('trivyignore')];
}

/**
 * Flags that keep trivy from reading the repository's `trivy.yaml` (which can set ignore files,
 * severities, skipped folders) and its `.trivyignore` / `.trivyignore.yaml`: both point at empty
 * files of the step's own.
 */
export const TRIVY_NO_REPO_FILES = ` --config ${scratchFile('trivy.yaml')} --ignorefile ${scratchFile('trivyignore')}`;

/** Throws for extra arguments that would bring a repository file back (config, ignore file, ignore policy, VEX). */
export function refuseTrivyArgs(where: string, args: string[] | undefined): void {
  refuseArgs(
    where,
    args,
    /^(-c|--config|--ignorefile|--ignore-policy|--vex)(=|$)/,
    'trivy reads no configuration, ignore file, ignore policy or VEX of the source tree; accept findings with gate exemptions or trustedVex',
  );
}
