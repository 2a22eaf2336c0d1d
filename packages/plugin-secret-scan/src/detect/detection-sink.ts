import type { Finding } from '@psr/report';
import type { Allowlist } from '../config/config.js';
import { type DetectionSource, toFinding } from '../finding/to-finding.js';
import type { RawDetection } from './scan-text.js';

/**
 * Where raw detections go: applies the inline `psr-allow`, config allowlist and baseline
 * suppressions (which need the secret, so they run here), then keeps only the redacted,
 * fingerprinted Finding. Nothing downstream of a sink ever sees a secret value.
 */
export class DetectionSink {
  readonly findings: Finding[] = [];

  constructor(
    private readonly allowlist: Allowlist,
    private readonly baseline: ReadonlySet<string>,
    private readonly salt: string,
  ) {}

  add(d: RawDetection, source: DetectionSource): Finding {
    const allowReason = d.inlineAllowed ? undefined : this.allowlist.allows(d.rule.id, d.secret);
    const finding = toFinding(d, source, this.salt);
    if (d.inlineAllowed) finding.suppressed = { kind: 'inline', reason: 'psr-allow comment on the line' };
    else if (allowReason) finding.suppressed = { kind: 'allowlist', reason: allowReason };
    else if (this.baseline.has(finding.fingerprint)) finding.suppressed = { kind: 'baseline', reason: 'accepted in the baseline' };
    this.findings.push(finding);
    return finding;
  }
}
