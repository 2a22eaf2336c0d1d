// The public surface of @psr/osv: named re-exports only.
export { parseAdvisory, OSV_ADVISORY_INVALID } from './advisory.js';
export type { OsvAdvisory, OsvAffected, OsvRange, OsvEvent, OsvSeverity } from './advisory.js';
export { advisorySeverity, levelForScore, SEVERITY_LEVELS } from './severity.js';
export type { AdvisorySeverity, SeverityLevel } from './severity.js';
export { compileAdvisory, sortEvents } from './compiled-advisory.js';
export type { IndexedAdvisory, CompiledAffected, CompiledRange, CompiledEvent, EventKind, CompiledEntries } from './compiled-advisory.js';
export { inRange, isAffected, affectedEntryContains, smallestFixAbove, matchPackage } from './match.js';
export type { PackageMatch, VulnerabilityGroup } from './match.js';
export { pep440Scheme, semverScheme, schemeFor, toEcosystem, normalizePackageName, SUPPORTED_ECOSYSTEMS } from './version-scheme.js';
export type { VersionScheme, Ecosystem } from './version-scheme.js';
export { IndexFile, encodeIndexFile, INDEX_FORMAT } from './index-file.js';
export { OsvIndex } from './osv-index.js';
export { LocalSource, OSV_SOURCE_FAILED } from './sources/local-source.js';
export type { SourceSnapshot, LoadedSource } from './sources/local-source.js';
export { readZipEntries, unsafeEntryName, OSV_ZIP_INVALID } from './sources/zip-archive.js';
export type { ZipLimits } from './sources/zip-archive.js';
export { resolveCacheDir } from './cache-dir.js';
export { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
