import type { SecretRule } from './rule.js';
import { ALNUM, BASE64URL, HEX, LOWER_NUM, checksummedToken, fake } from './samples.js';
import { hasValidBase62Crc32 } from '../validators/base62-crc32.js';

const checksum = (s: string): 'valid' | 'unknown' => (hasValidBase62Crc32(s) ? 'valid' : 'unknown');

function githubClassic(prefix: string, id: string, what: string, context: string): SecretRule {
  return {
    id,
    provider: 'GitHub',
    description: `GitHub ${what} (${prefix}, CRC-32 checksummed)`,
    title: `GitHub ${what.replace(/ \(.*?\)/g, '')}`,
    regex: new RegExp(`(?<![A-Za-z0-9_])(${prefix}[A-Za-z0-9]{36})(?![A-Za-z0-9_])`),
    keywords: [prefix],
    entropy: 3.5,
    validate: checksum,
    severity: 'critical',
    tests: {
      positive: [() => `${context}${checksummedToken(prefix, `${id}-1`)}`, () => `"${checksummedToken(prefix, `${id}-2`)}"`],
      negative: [`${context}${prefix}` + 'x'.repeat(36), `docs mention ${prefix}` + fake(ALNUM, 20, `${id}-short`), `${context}${prefix}` + '<token>'],
    },
  };
}

/** GitHub, GitLab, Bitbucket/Atlassian. */
export const sourceHostRules: readonly SecretRule[] = [
  githubClassic('ghp_', 'github-pat', 'personal access token (classic)', 'GITHUB_TOKEN='),
  githubClassic('gho_', 'github-oauth-token', 'OAuth access token', 'oauth_token: '),
  githubClassic('ghu_', 'github-user-to-server-token', 'App user-to-server token', 'token = '),
  githubClassic('ghs_', 'github-server-to-server-token', 'App installation (server-to-server) token', 'GH_TOKEN='),
  githubClassic('ghr_', 'github-refresh-token', 'App refresh token', 'refresh_token: '),
  {
    id: 'github-fine-grained-pat',
    provider: 'GitHub',
    description: 'GitHub fine-grained personal access token (github_pat_)',
    regex: /(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/,
    keywords: ['github_pat_'],
    entropy: 4.0,
    severity: 'critical',
    tests: {
      positive: [`GH_PAT=github_pat_${fake(ALNUM, 22, 'fg1')}_${fake(ALNUM, 59, 'fg2')}`],
      negative: ['github_pat_' + 'x'.repeat(22) + '_' + 'x'.repeat(59), 'github_pat_' + '<your token>'],
    },
  },
  {
    id: 'gitlab-pat',
    provider: 'GitLab',
    description: 'GitLab personal, project or group access token (glpat-)',
    regex: /(?<![A-Za-z0-9_-])(glpat-[0-9A-Za-z_-]{20,}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?)(?![A-Za-z0-9_-])/,
    keywords: ['glpat-'],
    entropy: 3.5,
    severity: 'critical',
    tests: {
      positive: [`GITLAB_TOKEN=glpat-${fake(BASE64URL, 20, 'gl1')}`, `private_token: glpat-${fake(BASE64URL, 27, 'gl2')}.01.${fake(LOWER_NUM, 9, 'gl3')}`],
      negative: ['GITLAB_TOKEN=glpat-' + 'xxxxxxxxxxxxxxxxxxxx', 'glpat-' + 'short'],
    },
  },
  {
    id: 'gitlab-pipeline-trigger-token',
    provider: 'GitLab',
    description: 'GitLab pipeline trigger token (glptt-)',
    regex: /(?<![A-Za-z0-9_-])(glptt-[0-9a-f]{40})(?![A-Za-z0-9_-])/,
    keywords: ['glptt-'],
    entropy: 3.0,
    severity: 'high',
    tests: { positive: [`-F token=glptt-${fake(HEX, 40, 'glptt')}`], negative: ['glptt-' + '0'.repeat(40)] },
  },
  {
    id: 'gitlab-runner-token',
    provider: 'GitLab',
    description: 'GitLab runner authentication token (glrt-) or registration token (GR1348941)',
    regex: /(?<![A-Za-z0-9_-])((?:glrt-|GR1348941)[0-9A-Za-z_-]{20,})(?![A-Za-z0-9_-])/,
    keywords: ['glrt-', 'gr1348941'],
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`token = "glrt-${fake(BASE64URL, 20, 'glrt')}"`, `registration-token GR1348941${fake(BASE64URL, 20, 'grt')}`], negative: ['glrt-' + 'REDACTED'] },
  },
  {
    id: 'gitlab-deploy-token',
    provider: 'GitLab',
    description: 'GitLab deploy token (gldt-)',
    regex: /(?<![A-Za-z0-9_-])(gldt-[0-9A-Za-z_-]{20,})(?![A-Za-z0-9_-])/,
    keywords: ['gldt-'],
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`password: gldt-${fake(BASE64URL, 20, 'gldt')}`], negative: ['gldt-' + 'xxxxxxxxxxxxxxxxxxxxxx'] },
  },
  {
    id: 'gitlab-other-token',
    provider: 'GitLab',
    description: 'GitLab OAuth app secret, feed, SCIM, CI job or agent token (gloas-, glft-, glsoat-, glcbt-, glagent-)',
    regex: /(?<![A-Za-z0-9_-])((?:gloas-|glft-|glsoat-|glagent-|glcbt-[0-9a-f]{1,5}_)[0-9A-Za-z_-]{20,})(?![A-Za-z0-9_-])/,
    keywords: ['gloas-', 'glft-', 'glsoat-', 'glagent-', 'glcbt-'],
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`GITLAB_OAUTH_SECRET=gloas-${fake(HEX, 64, 'gloas')}`, `feed: glft-${fake(BASE64URL, 20, 'glft')}`], negative: ['glft-' + 'xxxxxxxxxxxxxxxxxxxxxxxx'] },
  },
  {
    id: 'atlassian-api-token',
    reach: 4096,
    provider: 'Atlassian',
    description: 'Atlassian (Jira, Confluence) API token (ATATT) or Bitbucket app password (ATBB)',
    title: 'Atlassian API token or Bitbucket app password',
    regex: /(?<![A-Za-z0-9_-])((?:ATATT3[A-Za-z0-9_=-]{150,}|ATBB[A-Za-z0-9]{32,}))(?![A-Za-z0-9_=-])/,
    keywords: ['atatt3', 'atbb'],
    entropy: 4.0,
    severity: 'high',
    tests: { positive: [`JIRA_API_TOKEN=ATATT3xFfGF0${fake(BASE64URL, 170, 'atl')}`, `BITBUCKET_APP_PASSWORD=ATBB${fake(ALNUM, 32, 'atbb')}`], negative: ['ATATT3' + 'x'.repeat(160)] },
  },
];
