/**
 * The CEL engine of org rules: @marcbachmann/cel-js (zero dependencies, a typed environment that
 * rejects unknown fields when an expression is compiled, the standard macros `all`, `exists`,
 * `exists_one`, `filter`, `map` and `has()`).
 */
import { PIPELINE_DOCUMENT_SCHEMA } from './schema';

let celModule: CelModule | undefined;

/**
 * The CEL package, loaded on first use: it is an ES module (required through Node's `require(esm)`,
 * Node 20.19 or later), and pipelines without CEL rules never load it.
 */
function cel(): CelModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  celModule ??= require('@marcbachmann/cel-js') as CelModule;
  return celModule;
}

/** What this library uses of the CEL package. */
interface CelModule {
  Environment: new (options?: { unlistedVariablesAreDyn?: boolean; limits?: Partial<{ maxAstNodes: number; maxDepth: number }> }) => CelEnvironment;
}

interface CelEnvironment {
  registerType(name: string, definition: { fields: { [field: string]: string } }): CelEnvironment;
  registerVariable(name: string, type: string): CelEnvironment;
  parse(expression: string): CelProgram;
}

/** A parsed expression: call it with the variables to evaluate it. */
export interface CelProgram {
  (context: { [name: string]: unknown }): unknown;
  check(): { valid: boolean; type?: string; error?: Error };
}

/** The variables an org rule sees, by `forEach`. */
export const CEL_VARIABLES: { [forEach: string]: string[] } = {
  pipeline: ['pipeline'],
  stage: ['pipeline', 'stage'],
  step: ['pipeline', 'stage', 'step'],
};

const TYPE_PREFIX = 'gatehouse.';
const environments = new Map<string, CelEnvironment>();

/** The typed CEL environment of a rule's variables, built once from the JSON Schema. */
export function celEnvironment(forEach: string): CelEnvironment {
  let env = environments.get(forEach);
  if (env) return env;
  env = new (cel().Environment)({ unlistedVariablesAreDyn: false, limits: { maxAstNodes: 5000, maxDepth: 64 } });
  const defs = PIPELINE_DOCUMENT_SCHEMA.$defs as { [name: string]: any };
  // a type is registered after the types its fields name
  const done = new Set<string>();
  const register = (name: string) => {
    if (done.has(name)) return;
    done.add(name);
    const fields: { [field: string]: string } = {};
    for (const [field, spec] of Object.entries(defs[name].properties as { [f: string]: any })) {
      const ref = refOf(spec);
      if (ref) register(ref);
      fields[field] = celType(spec);
    }
    env!.registerType(typeName(name), { fields });
  };
  Object.keys(defs).forEach(register);
  env.registerVariable('pipeline', typeName('pipeline'));
  if (forEach === 'stage' || forEach === 'step') env.registerVariable('stage', typeName('stage'));
  if (forEach === 'step') env.registerVariable('step', typeName('step'));
  environments.set(forEach, env);
  return env;
}

function typeName(def: string): string {
  return `${TYPE_PREFIX}${def.charAt(0).toUpperCase()}${def.slice(1)}`;
}

function refOf(spec: any): string | undefined {
  const ref = spec.$ref ?? spec.items?.$ref;
  return ref ? String(ref).replace('#/$defs/', '') : undefined;
}

function celType(spec: any): string {
  if (spec.$ref) return typeName(String(spec.$ref).replace('#/$defs/', ''));
  if (spec.type === 'array') return `list<${celType(spec.items)}>`;
  if (spec.type === 'integer') return 'int';
  if (spec.type === 'boolean') return 'bool';
  if (spec.type === 'string' || spec.enum || spec.const !== undefined) return 'string';
  throw new Error(`pipeline document schema: no CEL type for ${JSON.stringify(spec)}`);
}

/** The document as CEL values: whole numbers become CEL ints. */
export function celValue(json: unknown): unknown {
  if (typeof json === 'number') return Number.isInteger(json) ? BigInt(json) : json;
  if (Array.isArray(json)) return json.map(celValue);
  if (json !== null && typeof json === 'object') {
    const out: { [k: string]: unknown } = {};
    for (const [k, v] of Object.entries(json)) out[k] = celValue(v);
    return out;
  }
  return json;
}
