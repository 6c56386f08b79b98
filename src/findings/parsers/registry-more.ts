import { Parser } from '../types';
import { dependencyCheckJson } from './dependency-check-json';
import { dependencyCheckXml } from './dependency-check-xml';

/**
 * Parsers of SCA, SAST and DAST tools added after the first three families, most specific first.
 * Their `detect`s exclude each other and every parser of the other families.
 */
export const parsers: Parser[] = [
  dependencyCheckJson, // reportSchema + scanInfo + dependencies
  dependencyCheckXml, // <analysis> in a DependencyCheck namespace
];
