import { readFileSync } from 'node:fs';

/**
 * Reads an env file: `NAME=value` lines; blank lines and `#` comments skipped; an optional
 * `export ` prefix; a value in single quotes is taken as written, one in double quotes
 * understands `\n`, `\"` and `\\`. Throws one error listing every bad line.
 */
export function parseEnvFile(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1} is not NAME=value`);
      return;
    }
    let value = m[2];
    if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.slice(1, -1);
    } else if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1).replace(/\\([n"\\])/g, (_, c: string) => (c === 'n' ? '\n' : c));
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out.set(m[1], value);
  });
  if (problems.length > 0) {
    throw new Error(`env file ${file} has ${problems.length} bad line${problems.length === 1 ? '' : 's'} (${problems.join('; ')}): write one NAME=value a line`);
  }
  return out;
}

/** Reads an env file from disk. */
export function readEnvFile(file: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`env file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): give the path of a NAME=value file`);
  }
  return parseEnvFile(text, file);
}

/** A secret reference of a step, as the model holds it. */
export interface SecretRef {
  readonly variable: string;
  readonly secretName: string;
  readonly key?: string;
}

/**
 * The variable names a secret is looked up under, in order: the secret's name (and key) with every
 * character other than letters, digits and `_` turned into `_`, upper-cased (`prod/db` key
 * `password` → `PROD_DB_PASSWORD`), then the variable the step sees.
 */
export function secretLookupNames(ref: SecretRef): string[] {
  const norm = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
  const names = [norm(ref.key ? `${ref.secretName}_${ref.key}` : ref.secretName), ref.variable];
  return [...new Set(names)];
}

/**
 * Resolves every secret reference from the env file (first) and the environment. Throws one
 * error naming every secret without a value and where it was looked for; the error never holds a
 * value.
 */
export function resolveSecrets(
  refs: ReadonlyArray<{ where: string; ref: SecretRef }>,
  envFile: Map<string, string> | undefined,
  env: { [name: string]: string | undefined },
): Map<string, Map<string, string>> {
  const byStep = new Map<string, Map<string, string>>();
  const missing: string[] = [];
  for (const { where, ref } of refs) {
    const names = secretLookupNames(ref);
    let value: string | undefined;
    for (const n of names) {
      value = envFile?.get(n) ?? env[n];
      if (value !== undefined && value !== '') break;
      value = undefined;
    }
    if (value === undefined) {
      missing.push(`${where} secret "${ref.secretName}"${ref.key ? ` key "${ref.key}"` : ''} (variable ${ref.variable}): set ${names.join(' or ')}`);
      continue;
    }
    if (!byStep.has(where)) byStep.set(where, new Map());
    byStep.get(where)!.set(ref.variable, value);
  }
  if (missing.length > 0) {
    throw new Error(
      `${missing.length} secret${missing.length === 1 ? ' has' : 's have'} no value, nothing was run:\n${missing.map((m) => `  - ${m}`).join('\n')}\n` +
        'give each in the environment or in an env file (--env-file FILE, NAME=value lines)',
    );
  }
  return byStep;
}
