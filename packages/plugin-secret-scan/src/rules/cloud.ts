import type { SecretRule } from './rule.js';
import { ALNUM, BASE32, BASE64, BASE64URL, HEX, fake, fakeAzureKey, fakePrivateKey } from './samples.js';
import { validatePrivateKey } from '../validators/pem.js';
import { decodeBase64 } from '../validators/base64.js';

const AWS_ID = (label: string): string => 'AKIA' + fake(BASE32, 16, label);
const AWS_SECRET = (label: string): string => fake(BASE64, 40, label);
const AZ_KEY = fakeAzureKey('az-key');

/**
 * Whether the SAS in `text` names an expiry day (`se=2023-12-20T…`) before today (UTC); a day
 * only, so a token that expires today still counts, whatever the time zones.
 */
function sasExpired(text: string): boolean {
  const day = /[?&;]se=(\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
  return day !== undefined && day < new Date().toISOString().slice(0, 10);
}

/** AWS, Google Cloud, Azure, Alibaba, Cloudflare, DigitalOcean. */
export const cloudRules: readonly SecretRule[] = [
  {
    id: 'aws-access-key-id',
    provider: 'AWS',
    description: 'AWS access key id (long-term AKIA, temporary ASIA and other IAM prefixes, base32 alphabet)',
    regex: /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|A3T[A-Z0-9])[A-Z2-7]{16})(?![A-Za-z0-9])/,
    keywords: ['akia', 'asia', 'abia', 'acca', 'agpa', 'aida', 'aroa', 'aipa', 'anpa', 'anva', 'apka', 'a3t'],
    entropy: 3.0,
    // The 16 characters after the prefix are base32 (A–Z, 2–7); the regex enforces the alphabet.
    validate: (s) => (/^[A-Z0-9]{4}[A-Z2-7]{16}$/.test(s) ? 'valid' : 'invalid'),
    severity: 'critical',
    tests: {
      positive: [`aws_access_key_id = ${AWS_ID('aws1')}`, `"AccessKeyId": "ASIA${fake(BASE32, 16, 'aws2')}"`],
      negative: ['aws_access_key_id = AKIA' + 'IOSFODNN7EXAMPLE', 'AKIA' + 'XXXXXXXXXXXXXXXX', 'AKIA' + fake(BASE32, 12, 'short'), 'AKIA' + 'ABCDEFGHIJKLMNOP'],
    },
  },
  {
    id: 'aws-secret-access-key',
    provider: 'AWS',
    description: 'AWS secret access key assigned to an AWS secret key name',
    regex: /(?:aws[\w.-]{0,20}(?:secret|sk)|secret_?access_?key)[\w.-]{0,20}\\?["']?\s*(?:=|:|=>|:=)\s*\\?["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i,
    keywords: ['aws', 'secretaccesskey', 'secret_access_key'],
    entropy: 4.2,
    severity: 'critical',
    tests: {
      positive: [`aws_secret_access_key = ${AWS_SECRET('awss1')}`, `  secretAccessKey: '${AWS_SECRET('awss2')}',`, `AWS_SECRET_ACCESS_KEY="${AWS_SECRET('awss3')}"`],
      negative: ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = "<paste the secret access key here>"', 'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}'], // psr-allow (split sample)
    },
  },
  {
    id: 'aws-session-token',
    reach: 4096,
    provider: 'AWS',
    description: 'AWS STS session token',
    regex: /(?:aws_session_token|x-amz-security-token|sessionToken)\\?["']?\s*(?:=|:)\s*\\?["']?([A-Za-z0-9/+=]{100,})/i,
    keywords: ['aws_session_token', 'x-amz-security-token', 'sessiontoken'],
    entropy: 4.5,
    severity: 'high',
    tests: {
      positive: [`aws_session_token = IQoJb3JpZ2luX2Vj${fake(BASE64, 300, 'sts')}`],
      negative: ['aws_session_token = ${AWS_SESSION_TOKEN}', 'aws_session_token = ""'],
    },
  },
  {
    id: 'aws-mws-auth-token',
    provider: 'AWS',
    description: 'Amazon Marketplace Web Service auth token',
    regex: /(?<![A-Za-z0-9])(amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![A-Za-z0-9])/,
    keywords: ['amzn.mws.'],
    severity: 'high',
    tests: {
      positive: [`mws_token: amzn.mws.${fake(HEX, 8, 'm1')}-${fake(HEX, 4, 'm2')}-${fake(HEX, 4, 'm3')}-${fake(HEX, 4, 'm4')}-${fake(HEX, 12, 'm5')}`],
      negative: ['amzn.mws.' + 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', 'the amzn.mws. prefix'],
    },
  },
  {
    id: 'gcp-api-key',
    provider: 'Google Cloud',
    description: 'Google API key (AIza…), used by Maps, Firebase, Gemini and other Google APIs',
    regex: /(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/,
    keywords: ['aiza'],
    entropy: 3.5,
    severity: 'high',
    tests: {
      positive: [`GOOGLE_API_KEY=AIza${fake(BASE64URL, 35, 'g1')}`, `const firebaseConfig = { apiKey: "AIza${fake(BASE64URL, 35, 'g2')}" };`],
      negative: ['apiKey: "AIza' + 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"', 'AIza' + fake(BASE64URL, 20, 'g-short'), 'key=AIzaSyYOUR_API_KEY_HERE'],
    },
  },
  {
    id: 'gcp-service-account-key',
    reach: 4096,
    provider: 'Google Cloud',
    description: 'Google service-account JSON key (the private_key field of a service_account file)',
    regex: /"private_key"\s*:\s*"(-----BEGIN PRIVATE KEY-----\\n[A-Za-z0-9+/=\\n]{64,}-----END PRIVATE KEY-----(?:\\n)?)"/,
    keywords: ['"private_key"'],
    severity: 'critical',
    confidence: 'medium',
    skipPlaceholderCheck: true,
    validate: (s) => validatePrivateKey(s),
    tests: {
      positive: [async () => `  "private_key": ${JSON.stringify(await fakePrivateKey('pkcs8'))},`],
      negative: ['  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE...\\n-----END PRIVATE KEY-----\\n",', '"private_key": ""'],
    },
  },
  {
    id: 'gcp-oauth-client-secret',
    provider: 'Google Cloud',
    description: 'Google OAuth client secret (GOCSPX-)',
    regex: /(?<![A-Za-z0-9_-])(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
    keywords: ['gocspx-'],
    entropy: 3.5,
    severity: 'high',
    tests: {
      positive: [`"client_secret": "GOCSPX-${fake(BASE64URL, 28, 'gocs')}"`],
      negative: ['client_secret: GOCSPX-' + 'xxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'GOCSPX-' + '<your-secret>'],
    },
  },
  {
    id: 'gcp-oauth-access-token',
    provider: 'Google Cloud',
    description: 'Google OAuth 2.0 access token (ya29.)',
    regex: /(?<![A-Za-z0-9_-])(ya29\.[0-9A-Za-z_-]{60,})/,
    keywords: ['ya29.'],
    entropy: 4.0,
    severity: 'high',
    tests: {
      positive: [`Authorization: Bearer ya29.a0A${fake(BASE64URL, 150, 'ya29')}`],
      negative: ['token = "ya29.' + '..."', 'ya29.' + 'x'.repeat(70)],
    },
  },
  {
    id: 'azure-storage-connection-string',
    provider: 'Azure',
    description: 'Azure storage / Cosmos DB connection string with an AccountKey',
    regex: /AccountKey=([A-Za-z0-9+/]{86}==)/,
    keywords: ['accountkey='],
    validate: (s) => (decodeBase64(s)?.length === 64 ? 'valid' : 'invalid'),
    severity: 'critical',
    tests: {
      positive: [`AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${AZ_KEY};EndpointSuffix=core.windows.net"`],
      negative: ['AccountKey=' + 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' + 'x', 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=<key>'],
    },
  },
  {
    id: 'azure-storage-account-key',
    provider: 'Azure',
    description: 'Azure storage account key assigned to a storage/account key name',
    regex: /(?:storage|account)[\w.-]{0,20}key\\?["']?\s*(?:=|:|=>)\s*\\?["']?([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/i,
    keywords: ['storage', 'account'],
    validate: (s) => (decodeBase64(s)?.length === 64 ? 'valid' : 'invalid'),
    severity: 'critical',
    tests: {
      positive: [`storage_account_key = "${fakeAzureKey('az2')}"`],
      negative: ['storage_account_key = "${var.key}"', `storage_account_key = "${fake(BASE64, 12, 'az-short')}"`],
    },
  },
  {
    id: 'azure-sas-token',
    provider: 'Azure',
    description: 'Azure shared access signature (sv=…&sig=…) in a URL or connection string',
    regex: /[?&;]sig=([A-Za-z0-9%/+]{40,100}(?:%3D|=){0,2})(?![A-Za-z0-9%/+=])/,
    keywords: ['sig='],
    // A SAS always names its service version and expiry; plain `sig=` query strings do not. One
    // whose expiry (`se=`) has passed grants nothing any more (AWS's docs print such a token).
    validate: (_s, m) => (/[?&;](?:sv|se|sp)=/.test(m.input) && !sasExpired(m.input) ? 'valid' : 'invalid'),
    entropy: 4.0,
    severity: 'high',
    tests: {
      positive: [
        `BLOB_URL=https://acme.blob.core.windows.net/backups?sv=2022-11-02&ss=b&srt=o&sp=rl&se=2099-12-31T00:00:00Z&sig=${fake(ALNUM, 43, 'sas')}%3D`,
        `https://acme.blob.core.windows.net/backups?sv=2022-11-02&sp=rl&sig=${fake(ALNUM, 43, 'sas-no-expiry')}%3D`,
      ],
      negative: [
        'https://example.org/img?sig=' + fake(ALNUM, 43, 'nosv'),
        'https://acme.blob.core.windows.net/c?sv=2022-11-02&sig=<signature>',
        `sp=r&amp;st=2023-12-20T14:54:52Z&amp;se=2023-12-20T22:54:52Z&amp;sv=2021-06-08&amp;sr=c&amp;sig=${fake(ALNUM, 43, 'sas-expired')}%3D`,
      ],
    },
  },
  {
    id: 'azure-ad-client-secret',
    provider: 'Azure',
    description: 'Microsoft Entra ID (Azure AD) application client secret (contains Q~)',
    title: 'Microsoft Entra ID application client secret',
    regex: /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/,
    keywords: ['q~'],
    entropy: 3.5,
    severity: 'critical',
    tests: {
      positive: [`AZURE_CLIENT_SECRET=${fake(ALNUM, 3, 'ad1')}8Q~${fake(ALNUM, 34, 'ad2')}`],
      negative: ['AZURE_CLIENT_SECRET=abc8Q~' + 'x'.repeat(34), 'see Q~ in docs'],
    },
  },
  {
    id: 'azure-devops-pat',
    provider: 'Azure',
    description: 'Azure DevOps personal access token (84 characters with the AZDO signature)',
    regex: /(?<![A-Za-z0-9])([A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4})(?![A-Za-z0-9])/,
    keywords: ['azdo'],
    entropy: 4.0,
    severity: 'high',
    tests: {
      positive: [`AZURE_DEVOPS_EXT_PAT=${fake(ALNUM, 52, 'ado1')}${fake(ALNUM, 24, 'ado2')}AZDO${fake(ALNUM, 4, 'ado3')}`],
      negative: ['AZDO is the signature', 'x'.repeat(76) + 'AZDO' + 'abcd'],
    },
  },
  {
    id: 'azure-service-bus-key',
    provider: 'Azure',
    description: 'Azure Service Bus / Event Hubs / IoT Hub SharedAccessKey in a connection string',
    regex: /SharedAccessKey=([A-Za-z0-9+/]{43}=)/,
    keywords: ['sharedaccesskey='],
    validate: (s) => (decodeBase64(s)?.length === 32 ? 'valid' : 'invalid'),
    severity: 'high',
    tests: {
      positive: [`Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${Buffer.from(fake(ALNUM, 32, 'sb')).toString('base64')}`],
      negative: ['SharedAccessKey=<your key>', 'SharedAccessKeyName=RootManageSharedAccessKey'],
    },
  },
  {
    id: 'alibaba-access-key-id',
    provider: 'Alibaba Cloud',
    description: 'Alibaba Cloud AccessKey id (LTAI)',
    regex: /(?<![A-Za-z0-9])(LTAI[A-Za-z0-9]{12,20})(?![A-Za-z0-9])/,
    keywords: ['ltai'],
    entropy: 3.2,
    severity: 'high',
    tests: {
      positive: [`ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI${fake(ALNUM, 20, 'ali')}`],
      negative: ['LTAI' + 'xxxxxxxxxxxxxxxxxxxx', 'LTAI' + 'short'],
    },
  },
  {
    id: 'digitalocean-pat',
    provider: 'DigitalOcean',
    description: 'DigitalOcean personal access token (dop_v1_)',
    regex: /(?<![A-Za-z0-9_])(dop_v1_[a-f0-9]{64})(?![A-Za-z0-9_])/,
    keywords: ['dop_v1_'],
    entropy: 3.0,
    severity: 'high',
    tests: { positive: [`DIGITALOCEAN_TOKEN=dop_v1_${fake(HEX, 64, 'do1')}`], negative: ['dop_v1_' + '0'.repeat(64), 'dop_v1_' + fake(HEX, 20, 'do-short')] },
  },
  {
    id: 'digitalocean-oauth-token',
    provider: 'DigitalOcean',
    description: 'DigitalOcean OAuth access token (doo_v1_)',
    regex: /(?<![A-Za-z0-9_])(doo_v1_[a-f0-9]{64})(?![A-Za-z0-9_])/,
    keywords: ['doo_v1_'],
    entropy: 3.0,
    severity: 'high',
    tests: { positive: [`token: doo_v1_${fake(HEX, 64, 'do2')}`], negative: ['doo_v1_' + 'f'.repeat(64)] },
  },
  {
    id: 'digitalocean-refresh-token',
    provider: 'DigitalOcean',
    description: 'DigitalOcean OAuth refresh token (dor_v1_)',
    regex: /(?<![A-Za-z0-9_])(dor_v1_[a-f0-9]{64})(?![A-Za-z0-9_])/,
    keywords: ['dor_v1_'],
    entropy: 3.0,
    severity: 'high',
    tests: { positive: [`refresh_token = "dor_v1_${fake(HEX, 64, 'do3')}"`], negative: ['dor_v1_' + 'a'.repeat(64)] },
  },
  {
    id: 'cloudflare-origin-ca-key',
    provider: 'Cloudflare',
    description: 'Cloudflare Origin CA key (v1.0-…)',
    regex: /(?<![A-Za-z0-9])(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})(?![A-Za-z0-9])/,
    keywords: ['v1.0-'],
    entropy: 3.0,
    severity: 'high',
    tests: { positive: [`CF_ORIGIN_CA_KEY=v1.0-${fake(HEX, 24, 'cf1')}-${fake(HEX, 146, 'cf2')}`], negative: ['version v1.0-beta', 'v1.0-' + fake(HEX, 24, 'cf3')] },
  },
  {
    id: 'cloudflare-api-token',
    provider: 'Cloudflare',
    description: 'Cloudflare API token or global API key assigned to a Cloudflare key name',
    regex: /(?:cloudflare|cf)[\w.-]{0,20}(?:token|key)\\?["']?\s*(?:=|:|=>)\s*\\?["']?([A-Za-z0-9_-]{40}|[a-f0-9]{37})(?![A-Za-z0-9_-])/i,
    keywords: ['cloudflare', 'cf_', 'cf-'],
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`CLOUDFLARE_API_TOKEN=${fake(BASE64URL, 40, 'cft')}`], negative: ['CLOUDFLARE_API_TOKEN=${{ secrets.CLOUDFLARE_API_TOKEN }}', `cf_zone_id: ${fake(HEX, 32, 'zone')}`] },
  },
];

