/**
 * GitHub evaluates `${{ … }}` anywhere in a workflow's values. Text that comes from the pipeline
 * definition (commands, env values, descriptions) is meant literally: every `${{` in it is
 * written as the expression `${{ '${{' }}`, which evaluates to the two characters themselves.
 * Only the engine writes expressions, through `expr`.
 */
export function literal(text: string): string {
  return text.split('${{').join("${{ '${{' }}");
}

/** An expression the engine writes: `${{ <body> }}`. */
export function expr(body: string): string {
  return `\${{ ${body} }}`;
}

/** `${{ secrets.NAME }}`: the only way a secret enters a workflow. */
export function secretRef(name: string): string {
  return expr(`secrets.${name}`);
}
