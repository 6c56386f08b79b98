import { assertPath } from '../internal/shell';

const URL_PATTERN = /^https?:\/\/[^\s'"`\\]+$/;

/**
 * The URL a DAST scan attacks: a fixed URL, or one an earlier deploy stage wrote into a file
 * (an artifact the scan step lists in `inputs`), read at run time.
 */
export class DastTarget {
  /** A fixed `http(s)://` URL. */
  public static url(url: string): DastTarget {
    if (typeof url !== 'string' || !URL_PATTERN.test(url)) {
      throw new Error(`dast target url "${url}" is not an http(s) URL without spaces or quotes: give e.g. "https://staging.example.com"`);
    }
    return new DastTarget(url, undefined);
  }

  /** A file (relative to the source root) whose first line is the URL, e.g. written by the deploy stage. */
  public static fromFile(path: string): DastTarget {
    assertPath('dast target', 'file', path);
    return new DastTarget(undefined, path);
  }

  private constructor(
    /** The URL, when fixed. */
    public readonly fixedUrl?: string,
    /** The file holding the URL, when read at run time. */
    public readonly urlFile?: string,
  ) {}
}
