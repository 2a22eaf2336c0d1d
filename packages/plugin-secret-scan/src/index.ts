// The public surface of @psr/plugin-secret-scan: named re-exports only (no `export *`).
import { secretScanPlugin } from './plugin.js';

export default secretScanPlugin;
export { secretScanPlugin } from './plugin.js';
export { secretScanTask, secretScanInput, runSecretScanTask, scanOutputs, DEFAULT_BASELINE_FILE } from './task.js';
export { runSecretScanStandalone } from './standalone.js';
export type { StandaloneOutput } from './standalone.js';
export type { SecretScanInput } from './task.js';
export { scanSecrets, DEFAULT_CONFIG_FILE, DEFAULT_MAX_FILE_SIZE } from './scan-secrets.js';
export type { SecretScanMode, SecretScanOptions, SecretScanResult, SecretScanStats } from './scan-secrets.js';
export { builtinRules } from './rules/table.js';
export type { SecretRule, SecretSeverity, Confidence, Validation, RuleSample, RuleContext } from './rules/rule.js';
export { TextScanner } from './detect/scan-text.js';
export type { RawDetection } from './detect/scan-text.js';
export { loadSecretScanConfig, parseSize, SecretScanErrorCodes, Allowlist } from './config/config.js';
export type { SecretScanConfig } from './config/config.js';
export { readBaseline, writeBaseline } from './baseline/baseline.js';
export type { BaselineFile, BaselineEntry } from './baseline/baseline.js';
export { secretFingerprint, DEFAULT_SALT } from './finding/to-finding.js';
export { REPORT_FORMATS, writeReportOutputs } from './report-output.js';
export type { ReportFormat } from './report-output.js';
export { shannonEntropy } from './detect/entropy.js';
export { renderSecretScanDocs, renderRuleTable } from './docs/render-docs.js';
