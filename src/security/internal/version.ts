/** Throws unless `version` is a release number such as `2.7.3`. */
export function assertVersion(where: string, version: string): void {
  if (!/^[0-9]+(\.[0-9A-Za-z-]+){0,3}$/.test(version ?? '')) {
    throw new Error(`${where} version "${version}" is not a release number: use something like "2.7.3"`);
  }
}
