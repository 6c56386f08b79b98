import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { PolicyCheckIo } from './cli-check';

/**
 * File name of the bundled policy check, written beside the bundled CLI (`assets/`). The gate
 * that pipelines ship stays small (the Tekton engine ships it in a ConfigMap): the check, with
 * its CEL and JSON Schema libraries, is loaded only when `policy check` runs.
 */
export const POLICY_CHECK_BUNDLE = 'gatehouse-policy.js';

type CheckModule = { PROCESS_IO: PolicyCheckIo; runPolicyCheck(args: string[], io: PolicyCheckIo): number };

/**
 * Registers `gatehouse policy check` on the CLI. Its arguments go to `runPolicyCheck` as they
 * are (it parses and reports them itself); `setExit` receives its exit code (0 pass, 1 violation,
 * 2 bad input).
 */
export function addPolicyCommand(program: Command, io: { out(text: string): void; err(text: string): void }, setExit: (code: number) => void): void {
  const policy = program.command('policy').description('policy as code over pipeline documents (pipeline.json)');
  policy
    .command('check')
    .description('check pipeline documents against policy packs (exit 0 pass, 1 violation, 2 bad input)')
    .usage('--policy PACK.yaml [--policy ...] [--waivers WAIVERS.yaml] [--format text|json|sarif] [--today YYYY-MM-DD] DOC.json...')
    .helpOption('-h, --help', 'show this help')
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]', 'options and pipeline documents')
    .action((_args: string[], _flags: unknown, command: Command) => {
      let check: CheckModule;
      try {
        check = loadCheck();
      } catch (e) {
        io.err(`gatehouse policy check: the policy check is not shipped with this gate (${(e as Error).message.split('\n')[0]}): run it from the gatehouse package (npx gatehouse policy check)\n`);
        setExit(2);
        return;
      }
      setExit(check.runPolicyCheck([...command.args], { readFile: check.PROCESS_IO.readFile, stdout: (t) => io.out(t), stderr: (t) => io.err(t) }));
    });
}

function loadCheck(): CheckModule {
  // bundled: assets/gatehouse-policy.js beside assets/gatehouse.js
  const bundled = join(__dirname, POLICY_CHECK_BUNDLE);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (existsSync(bundled)) return require(bundled);
  // from source or the compiled library: the module itself (a path, so no bundler inlines it)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(__dirname, 'cli-check'));
}
