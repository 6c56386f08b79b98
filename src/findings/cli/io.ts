/** Where the CLI writes (the process streams, or buffers in tests). */
export interface CliIo {
  /** Whether `out` is a terminal (colour then, unless NO_COLOR is set). @default false */
  readonly outIsTTY?: boolean;
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  get outIsTTY() {
    return process.stdout.isTTY === true;
  },
};

/** Exit codes of the CLI contract. */
export const EXIT = { PASS: 0, GATE_FAILED: 1, BAD_INPUT: 2 } as const;
