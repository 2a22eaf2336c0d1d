export type { Dependency, DependencyGroup, Ecosystem, LockfileFormat, MarkerTarget, ParseResult, Unresolvable, UnresolvableReason } from './model.js';
export { LockfileCodes } from './errors.js';
export { normalizePypiName } from './pypi-name.js';
export { parseRequirementsFile, parseRequirementsText } from './parsers/requirements-txt.js';
