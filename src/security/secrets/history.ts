/** Whether a secret scanner reads git history or only the files on disk. */
export enum SecretScanMode {
  /**
   * Git history when the source has any (a `.git` folder with commits), the files on disk otherwise
   * (CodePipeline's zipped source has no history).
   */
  AUTO = 'AUTO',
  /** The files on disk only. */
  FILES = 'FILES',
  /** The git history (fails when the source has none). */
  GIT = 'GIT',
}
