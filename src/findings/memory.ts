import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Reports at least this big are read with explicit collections between the stages. */
export const LARGE_REPORT_BYTES = 32 * 1024 * 1024;

let gc: (() => void) | undefined | null = null;
let tuned = false;

/**
 * Before reading a large report: keep V8's young generation from growing. JSON.parse builds the
 * whole tree through the young generation, and letting it double on each growth step adds tens of
 * MB to the peak of a 100 MB report for no gain in speed (measured in bench/findings.ts). Undone by
 * `endLargeInput` as soon as the tree is built.
 */
export function tuneForLargeInput(): void {
  if (tuned) return;
  tuned = true;
  setFlag('--semi-space-growth-factor=1');
}

/**
 * Once a large report's tree is built: let the young generation grow again. Building the findings,
 * normalizing them and writing the outputs allocate many short-lived objects; in a young generation
 * kept at its smallest, each of its many collections would copy the findings still being built
 * (measured: a tenth of a second more on a 100 MB trivy report).
 */
export function endLargeInput(): void {
  if (!tuned) return;
  tuned = false;
  setFlag('--semi-space-growth-factor=2');
}

function setFlag(flag: string): void {
  try {
    setFlagsFromString(flag);
  } catch {
    // an unknown flag only costs memory or time
  }
}

/**
 * Runs a full garbage collection when the runtime allows it. Reading a large JSON report holds the
 * file's bytes, then its text, then its parsed tree: collecting between those stages keeps only one
 * of the large copies alive at a time, which bounds the peak memory of the gate (a 100 MB report
 * would otherwise peak with the bytes, the text and the tree all resident). A no-op when gc cannot
 * be exposed.
 */
export function collectGarbage(): void {
  if (gc === null) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = undefined;
    }
  }
  gc?.();
}
