import { Parser } from '../types';
import { parsers as codeSecrets } from './registry-code-secrets';
import { parsers as depsImages } from './registry-deps-images';
import { parsers as iacDastXml } from './registry-iac-dast-xml';
import { parsers as more } from './registry-more';

/** Every report parser. Detection is by content; each parser's `detect` must be specific. */
export const ALL_PARSERS: Parser[] = [...codeSecrets, ...depsImages, ...iacDastXml, ...more];
