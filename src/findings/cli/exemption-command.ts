import { readFileSync, writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_EXEMPTION_DAYS, parseMaxDays } from '../dates';
import { UsageError } from '../errors';
import { approveExemption, requestExemption } from '../exemption-file';
import { generateEd25519Pem } from '../signing';
import { CliIo, EXIT } from './io';

interface RequestFlags {
  file: string;
  id: string;
  rule?: string;
  fingerprint?: string;
  package?: string;
  path?: string;
  tool?: string;
  reason: string;
  requestedBy: string;
  expires: string;
  ticket?: string;
  pipeline: string[];
  maxDays: number;
}

/** `--max-days <n>`: the longest lifetime the command accepts. */
function maxDaysOption(): Option {
  return new Option('--max-days <n>', 'longest lifetime in days from now (1-3650); keep it at or below the gate\'s --max-exemption-days')
    .default(DEFAULT_MAX_EXEMPTION_DAYS)
    .argParser((v) => {
      try {
        return parseMaxDays(v, '--max-days');
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    });
}

/** `gatehouse exemption request|approve|keygen`: the exemption flow. */
export function addExemptionCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const ex = program.command('exemption').description('request, approve (sign) and key exemptions');

  ex.command('request')
    .description('add an unapproved exemption to the exemptions file (created when missing)')
    .requiredOption('--file <file>', 'exemptions YAML file')
    .requiredOption('--id <id>', 'unique id, e.g. EX-2026-001')
    .option('--rule <id>', 'rule id or CVE / vulnerability id the exemption covers')
    .option('--fingerprint <fp>', 'gatehouse fingerprint of one finding')
    .option('--package <name>', 'only this package')
    .option('--path <glob>', 'only files matching this glob')
    .option('--tool <name>', 'only findings of this tool')
    .requiredOption('--reason <text>', 'why the risk is accepted')
    .requiredOption('--requested-by <id>', 'who asks')
    .requiredOption('--expires <date>', 'ISO date (YYYY-MM-DD) after which it no longer applies')
    .option('--ticket <ref>', 'tracking ticket')
    .option('--pipeline <name>', 'only in this pipeline (repeatable); the gate applies it only with a matching --pipeline', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .addOption(maxDaysOption())
    .action((flags: RequestFlags) => {
      requestExemption(flags.file, { ...flags, pipeline: flags.pipeline });
      io.out(`exemption ${flags.id} requested in ${flags.file}; a security approver other than ${flags.requestedBy} must approve it\n`);
      setExit(EXIT.PASS);
    });

  ex.command('approve')
    .description('approve an exemption and sign it with the approver\'s ed25519 key')
    .requiredOption('--file <file>', 'exemptions YAML file')
    .requiredOption('--id <id>', 'id of the exemption')
    .requiredOption('--approver <id>', 'approver id (must be on the gate\'s --approvers list)')
    .requiredOption('--key <file>', 'the approver\'s ed25519 private key (PEM)')
    .addOption(maxDaysOption())
    .action((flags: { file: string; id: string; approver: string; key: string; maxDays: number }) => {
      let pem: string;
      try {
        pem = readFileSync(flags.key, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read --key ${flags.key} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      approveExemption(flags.file, { id: flags.id, approver: flags.approver, privateKeyPem: pem, maxDays: flags.maxDays });
      io.out(`exemption ${flags.id} approved and signed by ${flags.approver} in ${flags.file}\n`);
      setExit(EXIT.PASS);
    });

  ex.command('keygen')
    .description('create an ed25519 key pair: <out>.pem (private, mode 600) and <out>.pub.pem (public, for --trusted-keys)')
    .requiredOption('--out <name>', 'file name prefix')
    .action((flags: { out: string }) => {
      const { privateKeyPem, publicKeyPem } = generateEd25519Pem();
      try {
        writeFileSync(`${flags.out}.pem`, privateKeyPem, { mode: 0o600, flag: 'wx' });
        writeFileSync(`${flags.out}.pub.pem`, publicKeyPem, { flag: 'wx' });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UsageError(code === 'EEXIST' ? `${flags.out}.pem or ${flags.out}.pub.pem already exists: keygen never overwrites a key` : `cannot write the key files (${code ?? (e as Error).message})`);
      }
      io.out(`wrote ${flags.out}.pem (private: keep it secret) and ${flags.out}.pub.pem (public: add it to the trusted keys)\n`);
      setExit(EXIT.PASS);
    });
}
