/** What a masked secret value is replaced with in every log line. */
export const MASK = '***';

/**
 * Replaces secret values in text written to logs. Output arrives in chunks that may split a value,
 * so text is held back until a line ends (`write`) or the stream ends (`end`). A value with line
 * breaks is masked line by line as well as whole.
 */
export class SecretMasker {
  private readonly values: string[];

  constructor(values: readonly string[]) {
    const parts = new Set<string>();
    for (const v of values) {
      if (typeof v !== 'string' || v.length === 0) continue;
      parts.add(v);
      for (const line of v.split(/\r?\n/)) if (line.trim().length > 0) parts.add(line);
    }
    // longest first, so a value that contains another is masked whole
    this.values = [...parts].sort((a, b) => b.length - a.length);
  }

  /** Whether there is anything to mask. */
  public get empty(): boolean {
    return this.values.length === 0;
  }

  /** `text` with every secret value replaced by `***`. */
  public mask(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join(MASK);
    return out;
  }

  /** A line-buffered writer that masks before passing text on. */
  public stream(sink: (text: string) => void): { write(chunk: string): void; end(): void } {
    let pending = '';
    return {
      write: (chunk: string) => {
        pending += chunk;
        const cut = pending.lastIndexOf('\n');
        if (cut < 0) {
          // a very long line without a break is flushed in pieces large enough to hold any value whole
          const longest = this.values[0]?.length ?? 0;
          if (pending.length > 65536 + longest) {
            // values wholly inside are masked now; the start of one cut by the chunk is in the tail kept
            const masked = this.mask(pending);
            const keep = Math.max(longest - 1, 0);
            sink(masked.slice(0, masked.length - keep));
            pending = masked.slice(masked.length - keep);
          }
          return;
        }
        sink(this.mask(pending.slice(0, cut + 1)));
        pending = pending.slice(cut + 1);
      },
      end: () => {
        if (pending.length > 0) sink(this.mask(pending));
        pending = '';
      },
    };
  }
}
