import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parseApprovers } from '../approvers';
import { readBaselineBytes } from '../baseline';
import { UsageError } from '../errors';
import { checkSignedInput, readInputBytes, signInputFile } from '../signed-input';
import { readTrustedKeys } from '../trusted-keys';
import { CliIo, EXIT } from './io';
import { readVexBytes } from '../vex/read';

/** The two inputs a repository may carry if an approver signs them. */
const KINDS = {
  vex: { what: 'VEX document', check: (file: string, bytes: Buffer) => void readVexBytes(file, bytes, []) },
  baseline: { what: 'baseline', check: (file: string, bytes: Buffer) => void readBaselineBytes(file, bytes) },
} as const;

/**
 * `gatehouse vex sign|verify` and `gatehouse baseline sign|verify`: a security approver signs a VEX
 * document or a baseline kept in the repository (FILE.sig, over the file's exact bytes); the gate
 * applies it only when that signature verifies with a trusted key of an approver on its list.
 */
export function addSignedInputCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  for (const kind of ['vex', 'baseline'] as const) {
    const { what, check } = KINDS[kind];
    const cmd = program.command(kind).description(`sign and verify a ${what} kept in the repository (FILE.sig)`);

    cmd.command('sign')
      .description(`sign a ${what} with an approver's ed25519 key: writes FILE.sig`)
      .requiredOption('--file <file>', `the ${what}`)
      .requiredOption('--signer <id>', 'your approver id (must be on the gate\'s --approvers list)')
      .requiredOption('--key <file>', 'your ed25519 private key (PEM)')
      .action((flags: { file: string; signer: string; key: string }) => {
        let pem: string;
        try {
          pem = readFileSync(flags.key, 'utf8');
        } catch (e) {
          throw new UsageError(`cannot read --key ${flags.key} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
        // never sign what the gate cannot read
        check(flags.file, readInputBytes(flags.file, what));
        const sigFile = signInputFile(flags.file, flags.signer, pem, what);
        io.out(`${what} ${flags.file} signed by ${flags.signer.trim()}: wrote ${sigFile}\n`);
        setExit(EXIT.PASS);
      });

    cmd.command('verify')
      .description(`check that the gate would apply a ${what}: exit 0 trusted, 1 not trusted, 2 bad input`)
      .requiredOption('--file <file>', `the ${what}`)
      .requiredOption('--approvers <list|file>', 'security approvers: comma-separated ids, or a file listing them')
      .requiredOption('--trusted-keys <file>', 'PEM public keys, or a YAML/JSON map approver → PEM')
      .action((flags: { file: string; approvers: string; trustedKeys: string }) => {
        const approvers = parseApprovers(flags.approvers);
        const trustedKeys = readTrustedKeys(flags.trustedKeys);
        const bytes = readInputBytes(flags.file, what);
        check(flags.file, bytes);
        const trust = checkSignedInput(flags.file, bytes, what, { approvers, trustedKeys });
        if (trust.trusted) {
          io.out(`${what} ${flags.file}: trusted (signed by ${trust.via === 'signature' ? trust.signedBy : 'the pipeline'})\n`);
          setExit(EXIT.PASS);
        } else {
          io.out(`${what} ${flags.file}: NOT trusted — ${trust.problem}\n`);
          setExit(EXIT.GATE_FAILED);
        }
      });
  }
}
