import { Parser } from '../types';

/** Parsers of this family, most specific first. */
export const parsers: Parser[] = [];
