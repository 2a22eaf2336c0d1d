import type { SecretRule } from './rule.js';
import { ALNUM, BASE64URL, HEX, LOWER_NUM, checksummedToken, fake, fakePypiToken } from './samples.js';
import { hasValidBase62Crc32 } from '../validators/base62-crc32.js';
import { decodeBase64 } from '../validators/base64.js';

/** npm, PyPI, RubyGems, NuGet, Docker Hub, Clojars, Pulumi, Terraform Cloud, Vault, Doppler. */
export const registryRules: readonly SecretRule[] = [
  {
    id: 'npm-access-token',
    provider: 'npm',
    description: 'npm access token (npm_, CRC-32 checksummed)',
    regex: /(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
    keywords: ['npm_'],
    entropy: 3.5,
    validate: (s) => (hasValidBase62Crc32(s) ? 'valid' : 'unknown'),
    severity: 'critical',
    tests: {
      positive: [() => `//registry.npmjs.org/:_authToken=${checksummedToken('npm_', 'npm1')}`, () => `NPM_TOKEN=${checksummedToken('npm_', 'npm2')}`],
      negative: ['//registry.npmjs.org/:_authToken=${NPM_TOKEN}', 'npm_' + 'x'.repeat(36), 'npm_config_cache=/tmp/npm'],
    },
  },
  {
    id: 'pypi-upload-token',
    provider: 'PyPI',
    description: 'PyPI / TestPyPI API token (a macaroon whose location is pypi.org)',
    regex: /(?<![A-Za-z0-9_-])(pypi-AgE[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])/,
    keywords: ['pypi-age'],
    validate: (s) => {
      const bytes = decodeBase64(s.slice(5));
      if (!bytes) return 'invalid';
      const text = bytes.toString('latin1');
      return text.includes('pypi.org') ? 'valid' : 'unknown';
    },
    entropy: 4.0,
    severity: 'critical',
    tests: {
      positive: [`password = ${fakePypiToken('pypi1')}`, `TWINE_PASSWORD: "${fakePypiToken('pypi2')}"`],
      negative: ['password = pypi-AgEIcHlwaS5vcmc' + '...', 'TWINE_PASSWORD=${{ secrets.PYPI_TOKEN }}'], // psr-allow (split sample)
    },
  },
  {
    id: 'rubygems-api-key',
    provider: 'RubyGems',
    description: 'RubyGems API key (rubygems_)',
    regex: /(?<![A-Za-z0-9_])(rubygems_[a-f0-9]{48})(?![A-Za-z0-9_])/,
    keywords: ['rubygems_'],
    entropy: 3.0,
    severity: 'high',
    tests: { positive: [`:rubygems_api_key: rubygems_${fake(HEX, 48, 'gem')}`], negative: ['rubygems_' + '0'.repeat(48)] },
  },
  {
    id: 'nuget-api-key',
    provider: 'NuGet',
    description: 'NuGet.org API key (oy2…)',
    regex: /(?<![A-Za-z0-9])(oy2[a-z0-9]{43})(?![A-Za-z0-9])/,
    keywords: ['oy2'],
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`dotnet nuget push pkg.nupkg --api-key oy2${fake(LOWER_NUM, 43, 'nuget')}`], negative: ['oy2' + 'a'.repeat(43)] },
  },
  {
    id: 'dockerhub-pat',
    provider: 'Docker',
    description: 'Docker Hub personal access token (dckr_pat_)',
    regex: /(?<![A-Za-z0-9_-])(dckr_pat_[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])/,
    keywords: ['dckr_pat_'],
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`echo dckr_pat_${fake(BASE64URL, 27, 'dckr')} | docker login -u acme --password-stdin`], negative: ['dckr_pat_' + 'x'.repeat(27)] },
  },
  {
    id: 'clojars-token',
    provider: 'Clojars',
    description: 'Clojars deploy token (CLOJARS_)',
    regex: /(?<![A-Za-z0-9_])(CLOJARS_[a-z0-9]{60})(?![A-Za-z0-9_])/,
    keywords: ['clojars_'],
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`CLOJARS_PASSWORD=CLOJARS_${fake(LOWER_NUM, 60, 'clj')}`], negative: ['CLOJARS_' + 'x'.repeat(60)] },
  },
  {
    id: 'pulumi-access-token',
    provider: 'Pulumi',
    description: 'Pulumi access token (pul-)',
    regex: /(?<![A-Za-z0-9_-])(pul-[a-f0-9]{40})(?![A-Za-z0-9_-])/,
    keywords: ['pul-'],
    entropy: 3.0,
    severity: 'high',
    tests: { positive: [`PULUMI_ACCESS_TOKEN=pul-${fake(HEX, 40, 'pul')}`], negative: ['pul-' + 'f'.repeat(40)] },
  },
  {
    id: 'terraform-cloud-token',
    provider: 'HashiCorp',
    description: 'Terraform Cloud / Enterprise API token (….atlasv1.…)',
    regex: /(?<![A-Za-z0-9])([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/,
    keywords: ['.atlasv1.'],
    entropy: 4.0,
    severity: 'high',
    tests: { positive: [`token = "${fake(ALNUM, 14, 'tfc1')}.atlasv1.${fake(BASE64URL, 67, 'tfc2')}"`], negative: ['token = "xxxxxxxxxxxxxx.atlasv1.' + 'x'.repeat(67) + '"'] },
  },
  {
    id: 'vault-service-token',
    provider: 'HashiCorp',
    description: 'HashiCorp Vault service token (hvs.)',
    regex: /(?<![A-Za-z0-9_.-])(hvs\.[A-Za-z0-9_-]{24,})(?![A-Za-z0-9_-])/,
    keywords: ['hvs.'],
    entropy: 4.0,
    severity: 'critical',
    tests: { positive: [`VAULT_TOKEN=hvs.CAESI${fake(BASE64URL, 90, 'hvs')}`, `export VAULT_TOKEN=hvs.${fake(ALNUM, 24, 'hvs2')}`], negative: ['VAULT_TOKEN=hvs.' + 'x'.repeat(30), 'hvs.' + '<token>'] },
  },
  {
    id: 'vault-batch-token',
    provider: 'HashiCorp',
    description: 'HashiCorp Vault batch or recovery token (hvb., hvr.)',
    regex: /(?<![A-Za-z0-9_.-])(hv[br]\.[A-Za-z0-9_-]{24,})(?![A-Za-z0-9_-])/,
    keywords: ['hvb.', 'hvr.'],
    entropy: 4.0,
    severity: 'high',
    tests: { positive: [`token: hvb.AAAAAQ${fake(BASE64URL, 140, 'hvb')}`], negative: ['hvb.' + 'x'.repeat(140)] },
  },
  {
    id: 'doppler-token',
    provider: 'Doppler',
    description: 'Doppler service, personal or CLI token (dp.st., dp.pt., dp.ct.)',
    regex: /(?<![A-Za-z0-9_.-])(dp\.(?:st|pt|ct|sa|scim|audit)\.(?:[a-z0-9_-]{2,35}\.)?[A-Za-z0-9]{40,44})(?![A-Za-z0-9])/,
    keywords: ['dp.st.', 'dp.pt.', 'dp.ct.', 'dp.sa.', 'dp.scim.', 'dp.audit.'],
    entropy: 4.0,
    severity: 'high',
    tests: { positive: [`DOPPLER_TOKEN=dp.st.prd.${fake(ALNUM, 43, 'dp')}`], negative: ['DOPPLER_TOKEN=dp.st.' + 'x'.repeat(43)] },
  },
  {
    id: 'jfrog-api-key',
    provider: 'JFrog',
    description: 'JFrog Artifactory API key (AKCp) or identity token (cmVmdGtu)',
    regex: /(?<![A-Za-z0-9])((?:AKCp[A-Za-z0-9]{69}|cmVmdGtuOjAxOj[A-Za-z0-9]{50,}))(?![A-Za-z0-9])/,
    keywords: ['akcp', 'cmvmdgtuojaxoj'],
    entropy: 4.0,
    severity: 'high',
    tests: { positive: [`ARTIFACTORY_API_KEY=AKCp${fake(ALNUM, 69, 'jfrog')}`], negative: ['AKCp' + 'short'] },
  },
];
