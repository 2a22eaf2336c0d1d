import type { SecretRule } from './rule.js';
import { aiRules } from './ai.js';
import { chatRules } from './chat.js';
import { cloudRules } from './cloud.js';
import { connectionStringRules } from './connection-strings.js';
import { genericRules } from './generic.js';
import { hostLoginRules } from './host-logins.js';
import { keyRules } from './keys.js';
import { paymentMailRules } from './payments-mail.js';
import { platformRules } from './platforms.js';
import { registryRules } from './registries.js';
import { sourceHostRules } from './source-hosts.js';

/**
 * Every built-in rule, most specific first. When two rules match overlapping text, the
 * earlier, more specific one wins (so a GitHub token inside `token = "…"` is reported once,
 * as a GitHub token, not again by the generic assignment rule).
 *
 * @example
 * ```ts
 * import { builtinRules } from '@psr/plugin-secret-scan';
 * console.log(builtinRules.length); // ≥ 80
 * ```
 */
export const builtinRules: readonly SecretRule[] = [
  ...cloudRules,
  ...sourceHostRules,
  ...registryRules,
  ...chatRules,
  ...paymentMailRules,
  ...aiRules,
  ...platformRules,
  ...keyRules,
  ...hostLoginRules,
  ...connectionStringRules,
  ...genericRules,
];
