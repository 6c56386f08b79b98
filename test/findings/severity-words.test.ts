import { severityFromCvss, severityFromText } from '../../src/findings/severity';

test('severity words map per DESIGN and prototype names are not severities', () => {
  expect(severityFromText('Moderate')).toBe('medium');
  expect(severityFromText('Negligible')).toBe('low');
  expect(severityFromText(undefined)).toBe('unknown');
  expect(severityFromText('constructor')).toBe('unknown');
  expect(severityFromText('__proto__')).toBe('unknown');
});

test('cvss bands', () => {
  expect([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0.1, 0].map(severityFromCvss)).toEqual([
    'critical', 'high', 'high', 'medium', 'medium', 'low', 'low', 'info',
  ]);
  expect(severityFromCvss(11)).toBe('unknown');
});
