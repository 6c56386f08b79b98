import { severityFromCvss, severityFromText } from '../../src/findings/severity';

test('severity words map per DESIGN; absent is unknown; present but unreadable (prototype names too) is critical', () => {
  expect(severityFromText('Moderate')).toBe('medium');
  expect(severityFromText('Negligible')).toBe('low');
  expect(severityFromText(undefined)).toBe('unknown');
  expect(severityFromText(null)).toBe('unknown');
  expect(severityFromText('Unknown')).toBe('unknown');
  expect(severityFromText('constructor')).toBe('critical');
  expect(severityFromText('__proto__')).toBe('critical');
  expect(severityFromText('')).toBe('critical');
  expect(severityFromText('9.8')).toBe('critical');
  expect(severityFromText(9.8)).toBe('critical');
  expect(severityFromText('\u041dIGH')).toBe('critical');
  expect(severityFromText('\uff28\uff29\uff27\uff28')).toBe('critical');
});

test('cvss bands', () => {
  expect([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0.1, 0].map(severityFromCvss)).toEqual([
    'critical', 'high', 'high', 'medium', 'medium', 'low', 'low', 'info',
  ]);
  expect(severityFromCvss(undefined)).toBe('unknown');
  expect(severityFromCvss(11)).toBe('critical');
  expect(severityFromCvss(Number.NaN)).toBe('critical');
});
