/**
 * `@psr/lockfiles`: one dependency model for Python and JavaScript manifests and lockfiles,
 * used by the scan and SBOM plugins.
 */
export type {
  Dependency,
  DependencyGroup,
  Ecosystem,
  LockfileFormat,
  MarkerTarget,
  ParseResult,
  Unresolvable,
  UnresolvableReason,
} from './model.js';
export { LockfileCodes } from './errors.js';
export { normalizePypiName } from './pypi-name.js';
export { detectFormat } from './formats.js';
export { evaluateMarker, markerTargetProblem } from './marker.js';
export { parseLockfile, parseLockfileText, type ParseFileOptions, type ParseTextOptions } from './parse-lockfile.js';
export { discoverManifests, type DiscoverOptions, type DiscoveredFile, type Discovery } from './discovery.js';
export { scanProject, type ProjectScan, type ScanProjectOptions } from './scan-project.js';
export { parseRequirementsFile, parseRequirementsText, type RequirementsFileOptions } from './parsers/requirements-txt.js';
