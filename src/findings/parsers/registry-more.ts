import { Parser } from '../types';
import { brakemanJson } from './brakeman';
import { cycloneDxXml } from './cyclonedx-xml';
import { dependencyCheckJson } from './dependency-check-json';
import { dependencyCheckXml } from './dependency-check-xml';
import { dependencyTrackJson } from './dependency-track';
import { gosecJson } from './gosec';
import { nucleiJson } from './nuclei';
import { retireJson } from './retirejs';
import { snykJson } from './snyk';
import { yarnAuditJson } from './yarn-audit';

/**
 * Parsers of SCA, SAST and DAST tools added after the first three families, most specific first.
 * Their `detect`s exclude each other and every parser of the other families.
 */
export const parsers: Parser[] = [
  dependencyCheckJson, // reportSchema + scanInfo + dependencies
  dependencyCheckXml, // <analysis> in a DependencyCheck namespace
  snykJson, // {ok, vulnerabilities[], dependencyCount|packageManager} or an array of them
  nucleiJson, // {template-id|templateID, info{}, host|matched-at} per line
  gosecJson, // {Issues[], Stats{}}
  brakemanJson, // {scan_info{}, warnings[]}
  yarnAuditJson, // {type, data} lines (yarn 1) or {value, children{Severity}} lines (yarn 2+)
  dependencyTrackJson, // {meta{application: "Dependency-Track"}, project, findings}
  retireJson, // {data[{file, results}], start, time} or the bare data array (retire 1.x)
  cycloneDxXml, // <bom> in a CycloneDX 1.x namespace
];
