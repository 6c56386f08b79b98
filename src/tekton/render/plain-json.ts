/**
 * The JSON of a value typed with the generated Tekton interfaces: undefined fields dropped and
 * quantities (the generated `…Limits`/`…Requests` classes) unwrapped to their value. For the task
 * specs the engine builds, this is exactly what the generated `toJson_TaskSpec` returns (a test
 * checks it) at a fraction of its cost, which matters when an app renders hundreds of pipelines.
 */
export function plainJson(value: unknown): any {
  if (Array.isArray(value)) {
    return value.map(plainJson);
  }
  if (typeof value === 'object' && value !== null) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === 'value') {
        return (value as { value: unknown }).value;
      }
      throw new Error(`cannot render a ${proto?.constructor?.name ?? 'class'} instance as JSON`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = plainJson(v);
    }
    return out;
  }
  return value;
}
