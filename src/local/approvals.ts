import { createInterface } from 'node:readline';

/** What an approval or a manual intervention asks. */
export interface ApprovalQuestion {
  readonly title: string;
  readonly details: string[];
  readonly timeoutMinutes: number;
}

/** Asks a person: resolves to true (approve) or false (reject, or no answer before the timeout). */
export type AnswerFn = (q: ApprovalQuestion) => Promise<boolean>;

/** Asks on the terminal (standard error), one question at a time. */
export const terminalAnswer: AnswerFn = (q) =>
  new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    let settled = false;
    const end = (ok: boolean, note?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (note) process.stderr.write(`\n${note}\n`);
      rl.close();
      resolve(ok);
    };
    const timer = setTimeout(() => end(false, `no answer within ${q.timeoutMinutes} minute(s): rejected`), q.timeoutMinutes * 60_000);
    for (const d of q.details) process.stderr.write(`  ${d}\n`);
    rl.question(`${q.title} [y/N] `, (a) => end(/^y(es)?$/i.test(a.trim())));
    rl.on('close', () => end(false));
  });

/**
 * The decisions of one run: given in advance by stage (`--approve`, `--reject`), or asked one at a
 * time when a terminal can answer. Without either, the answer is `waiting`.
 */
export class ApprovalBook {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly approve: string[],
    private readonly approveAll: boolean,
    private readonly reject: string[],
    private readonly answer?: AnswerFn,
  ) {}

  /** `approved`, `rejected` or `waiting`. */
  public decide(stage: string, q: ApprovalQuestion): Promise<string> {
    if (this.reject.includes(stage)) return Promise.resolve('rejected');
    if (this.approveAll || this.approve.includes(stage)) return Promise.resolve('approved');
    const answer = this.answer;
    if (!answer) return Promise.resolve('waiting');
    const next = this.queue.then(() => answer(q)).then((ok) => (ok ? 'approved' : 'rejected'));
    this.queue = next.catch(() => undefined);
    return next;
  }
}
