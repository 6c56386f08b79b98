import { Parser } from '../types';
import { checkovParser } from './checkov';
import { conftestParser } from './conftest';
import { gitlabParser } from './gitlab';
import { kicsParser } from './kics';
import { openscapArfParser } from './openscap-arf';
import { openscapXccdfParser } from './openscap-xccdf';
import { tfsecParser } from './tfsec';
import { zapJsonParser } from './zap-json';
import { zapXmlParser } from './zap-xml';

/** Parsers of this family, most specific first. */
export const parsers: Parser[] = [
  checkovParser,
  kicsParser,
  gitlabParser,
  zapJsonParser,
  tfsecParser,
  conftestParser,
  zapXmlParser,
  openscapArfParser,
  openscapXccdfParser,
];
