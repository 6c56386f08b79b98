import { Parser } from '../types';
import { banditParser } from './bandit';
import { gitleaksParser } from './gitleaks';
import { hadolintParser } from './hadolint';
import { sarifParser } from './sarif';
import { secretlintParser } from './secretlint';
import { semgrepParser } from './semgrep';
import { trufflehogParser } from './trufflehog';
import { trufflehog2Parser } from './trufflehog2';
import { trufflehog3Parser } from './trufflehog3';

/**
 * Parsers of this family, most specific first. Their `detect`s exclude each other: at most one
 * claims a document. gitleaks claims the empty reports `null` and `[]` (also what hadolint,
 * secretlint and trufflehog write when they find nothing: zero findings either way).
 */
export const parsers: Parser[] = [
  sarifParser,
  banditParser,
  semgrepParser,
  trufflehogParser,
  trufflehog3Parser,
  trufflehog2Parser,
  secretlintParser,
  hadolintParser,
  gitleaksParser,
];
