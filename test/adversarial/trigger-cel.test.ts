import { celString, globRegex, matchesAny } from '../../src/tekton/render/cel';

// Filter patterns are refused at the model when they hold quotes or control characters
// (trigger-injection.test.ts); the CEL text is still built from quoted literals only, so that a
// pattern that got through could not close its string and add a condition of its own.
describe('adversarial: CEL filters of the EventListener', () => {
  test.each([
    ['main" || true || "', '"main\\" || true || \\""'],
    ['a\\" || true || \\"', '"a\\\\\\" || true || \\\\\\""'],
    ['x\n|| true', '"x\\n|| true"'],
    ['x\u2028y', '"x\\u2028y"'],
  ])('the pattern %j stays one string literal', (pattern, literal) => {
    expect(celString(pattern)).toBe(literal);
  });

  test('a quote in a pattern cannot end the matches() argument', () => {
    const cel = matchesAny('body.ref', ['main") || true || ("'], 'refs/heads/');
    // the only unescaped quotes are the two around the one argument
    expect(cel.replace(/\\./g, '').match(/"/g)).toHaveLength(2);
    expect(cel.startsWith('body.ref.matches("')).toBe(true);
    expect(cel.endsWith('")')).toBe(true);
  });

  test('regex characters of a pattern match literally', () => {
    expect(globRegex('v1.2+x')).toBe('^v1\\.2\\+x$');
    expect(new RegExp(globRegex('release/*')).test('release/1.0')).toBe(true);
    expect(new RegExp(globRegex('release/*')).test('release/1/evil')).toBe(false);
    expect(new RegExp(globRegex('v1.*')).test('v1x')).toBe(false);
    expect(new RegExp(globRegex('docs/**')).test('docs/a/b.md')).toBe(true);
  });
});
