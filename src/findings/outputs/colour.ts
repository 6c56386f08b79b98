/**
 * Terminal colour: only on a terminal, and never when NO_COLOR is set to anything
 * (https://no-color.org). Everything else (files, pipes, CI logs) stays plain text.
 */

/** Whether to colour output written to a stream. */
export function useColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

const CODES: Record<string, [number, number]> = {
  bold: [1, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  grey: [90, 39],
};

/** `text` in the given styles, or as it is when `on` is false. */
export function paint(on: boolean, text: string, ...styles: Array<keyof typeof CODES>): string {
  if (!on || styles.length === 0) return text;
  return styles.reduce((t, s) => `\u001b[${CODES[s][0]}m${t}\u001b[${CODES[s][1]}m`, text);
}

/** The colour of a severity. */
export function paintSeverity(on: boolean, severity: string, text: string = severity): string {
  switch (severity) {
    case 'critical':
      return paint(on, text, 'magenta', 'bold');
    case 'high':
      return paint(on, text, 'red', 'bold');
    case 'medium':
      return paint(on, text, 'yellow');
    case 'low':
      return paint(on, text, 'blue');
    default:
      return paint(on, text, 'grey');
  }
}
