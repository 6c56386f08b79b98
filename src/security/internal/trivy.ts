import { CACHE_ROOT } from './recipe';
import { q } from './shell';
import { TrivyDatabaseOptions } from '../sca/trivy-fs';

/** Trivy's cache folder inside the source tree (engines cache it between runs). */
export const TRIVY_CACHE = `${CACHE_ROOT}/trivy`;

/** Cache and database flags of every Trivy entry. */
export function trivyDbFlags(o: TrivyDatabaseOptions): string {
  return ` --cache-dir ${q(TRIVY_CACHE)}${o.skipDbUpdate ? ' --skip-db-update' : ''}${o.offlineScan ? ' --offline-scan' : ''}`;
}
