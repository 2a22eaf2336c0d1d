import type { SecretRule } from './rule.js';
import { ALNUM, BASE64URL, HEX, UPPER_NUM, fake, fakeDiscordToken } from './samples.js';
import { decodeBase64 } from '../validators/base64.js';

const digits = (n: number, label: string): string => fake('0123456789', n, label);

/** Slack, Discord, Telegram, Microsoft Teams. */
export const chatRules: readonly SecretRule[] = [
  {
    id: 'slack-bot-token',
    provider: 'Slack',
    description: 'Slack bot token (xoxb-)',
    regex: /(?<![A-Za-z0-9-])(xoxb-\d{10,13}-\d{10,13}-[A-Za-z0-9]{24,34})(?![A-Za-z0-9-])/,
    keywords: ['xoxb-'],
    entropy: 3.5,
    severity: 'high',
    tests: {
      positive: [`SLACK_BOT_TOKEN=xoxb-${digits(12, 's1')}-${digits(13, 's2')}-${fake(ALNUM, 24, 's3')}`],
      negative: ['SLACK_BOT_TOKEN=xoxb-' + 'your-bot-token', 'xoxb-' + '000000000000-0000000000000-' + 'x'.repeat(24)],
    },
  },
  {
    id: 'slack-user-token',
    provider: 'Slack',
    description: 'Slack user token (xoxp-)',
    regex: /(?<![A-Za-z0-9-])(xoxp-\d{10,13}-\d{10,13}-\d{10,13}-[a-f0-9]{32})(?![A-Za-z0-9-])/,
    keywords: ['xoxp-'],
    entropy: 3.0,
    severity: 'high',
    tests: { positive: [`token: xoxp-${digits(12, 'u1')}-${digits(12, 'u2')}-${digits(13, 'u3')}-${fake(HEX, 32, 'u4')}`], negative: ['xoxp-' + 'xxxxxxxxxxxx'] },
  },
  {
    id: 'slack-legacy-token',
    provider: 'Slack',
    description: 'Slack workspace, refresh or legacy token (xoxa-, xoxr-, xoxs-, xoxo-)',
    regex: /(?<![A-Za-z0-9-])(xox[aors]-(?:\d+-){1,3}[A-Za-z0-9]{20,})(?![A-Za-z0-9-])/,
    keywords: ['xoxa-', 'xoxr-', 'xoxs-', 'xoxo-'],
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`SLACK_TOKEN=xoxs-${digits(11, 'l1')}-${digits(11, 'l2')}-${fake(ALNUM, 32, 'l3')}`], negative: ['xoxs-' + 'xxxx'] },
  },
  {
    id: 'slack-app-token',
    provider: 'Slack',
    description: 'Slack app-level token (xapp-)',
    regex: /(?<![A-Za-z0-9-])(xapp-\d-[A-Z0-9]{9,12}-\d{10,14}-[a-f0-9]{64})(?![A-Za-z0-9-])/,
    keywords: ['xapp-'],
    entropy: 3.0,
    severity: 'high',
    tests: { positive: [`SLACK_APP_TOKEN=xapp-1-A${fake(UPPER_NUM, 10, 'xa1')}-${digits(13, 'xa2')}-${fake(HEX, 64, 'xa3')}`], negative: ['xapp-1-' + 'your-app-token'] },
  },
  {
    id: 'slack-config-token',
    reach: 4096,
    provider: 'Slack',
    description: 'Slack configuration access or refresh token (xoxe.xoxp-, xoxe-)',
    regex: /(?<![A-Za-z0-9-])((?:xoxe\.xox[bp]-1|xoxe-1)-[A-Za-z0-9]{100,})(?![A-Za-z0-9-])/,
    keywords: ['xoxe'],
    entropy: 4.0,
    severity: 'high',
    tests: { positive: [`config_token: xoxe.xoxp-1-${fake(ALNUM, 160, 'xoxe')}`], negative: ['xoxe.xoxp-1-' + 'x'.repeat(120)] },
  },
  {
    id: 'slack-webhook-url',
    provider: 'Slack',
    description: 'Slack incoming webhook or workflow trigger URL',
    regex: /(https:\/\/hooks\.slack\.com\/(?:services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{23,25}|workflows\/T[A-Z0-9]{8,12}\/A[A-Z0-9]{8,12}\/\d{16,20}\/[A-Za-z0-9]{23,25}|triggers\/T[A-Z0-9]{8,12}\/\d{10,16}\/[a-f0-9]{32}))/,
    keywords: ['hooks.slack.com'],
    entropy: 3.0,
    severity: 'high',
    tests: {
      positive: [`SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T${fake(UPPER_NUM, 8, 'w1')}/B${fake(UPPER_NUM, 10, 'w2')}/${fake(ALNUM, 24, 'w3')}`],
      negative: ['https://hooks.slack.com/services/' + 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'https://hooks.slack.com/services/<your-webhook>'],
    },
  },
  {
    id: 'discord-bot-token',
    provider: 'Discord',
    description: 'Discord bot token (base64 user id . timestamp . HMAC)',
    regex: /(?<![A-Za-z0-9_-])([MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_-])/,
    keywords: ['discord', 'token', 'bot', 'login('],
    // The first part is the base64 of the bot's numeric snowflake id.
    validate: (s, m) => {
      const id = decodeBase64(s.split('.')[0] ?? '')?.toString('latin1') ?? '';
      if (/^\d{17,20}$/.test(id)) return 'valid';
      // Not a snowflake id: only keep it where the text says it is a Discord token.
      return /discord/i.test(m.input) ? 'unknown' : 'invalid';
    },
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`DISCORD_BOT_TOKEN=${fakeDiscordToken('dc1')}`, `client.login("${fakeDiscordToken('dc2')}");`], negative: ['DISCORD_BOT_TOKEN=' + 'MTIzNDU2Nzg5MDEyMzQ1Njc4.' + 'XXXXXX.' + 'x'.repeat(27), `bot token looks like N${fake(BASE64URL, 23, 'dcx')}.${fake(BASE64URL, 6, 'dcy')}.${fake(BASE64URL, 27, 'dcz')} but decodes to no id`] },
  },
  {
    id: 'discord-webhook-url',
    provider: 'Discord',
    description: 'Discord webhook URL',
    regex: /(https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,68})/,
    keywords: ['/api/webhooks/'],
    entropy: 3.5,
    severity: 'medium',
    tests: { positive: [`DISCORD_WEBHOOK=https://discord.com/api/webhooks/${digits(19, 'dw1')}/${fake(BASE64URL, 68, 'dw2')}`], negative: ['https://discord.com/api/webhooks/{id}/{token}'] },
  },
  {
    id: 'telegram-bot-token',
    provider: 'Telegram',
    description: 'Telegram Bot API token (bot id : AA…)',
    regex: /(?<![0-9])(\d{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/,
    keywords: [':aa'],
    entropy: 3.5,
    severity: 'high',
    tests: { positive: [`TELEGRAM_BOT_TOKEN=${digits(10, 't1')}:AA${fake(BASE64URL, 33, 't2')}`, `https://api.telegram.org/bot${digits(9, 't3')}:AA${fake(BASE64URL, 33, 't4')}/sendMessage`], negative: ['TELEGRAM_BOT_TOKEN=123456789:AA' + 'x'.repeat(33), '12:AA' + fake(BASE64URL, 33, 't5')] },
  },
  {
    id: 'teams-webhook-url',
    provider: 'Microsoft',
    description: 'Microsoft Teams incoming webhook URL',
    regex: /(https:\/\/[a-z0-9-]+\.webhook\.office\.com\/webhookb2\/[a-f0-9-]{36}@[a-f0-9-]{36}\/IncomingWebhook\/[a-f0-9]{32}\/[a-f0-9-]{36}(?:\/[A-Za-z0-9_-]+)?)/,
    keywords: ['webhook.office.com'],
    entropy: 3.0,
    severity: 'medium',
    tests: {
      positive: [`TEAMS_WEBHOOK=https://acme.webhook.office.com/webhookb2/${fake(HEX, 8, 'tw1')}-${fake(HEX, 4, 'tw2')}-4${fake(HEX, 3, 'tw3')}-a${fake(HEX, 3, 'tw4')}-${fake(HEX, 12, 'tw5')}@${fake(HEX, 8, 'tw6')}-${fake(HEX, 4, 'tw7')}-4${fake(HEX, 3, 'tw8')}-b${fake(HEX, 3, 'tw9')}-${fake(HEX, 12, 'tw10')}/IncomingWebhook/${fake(HEX, 32, 'tw11')}/${fake(HEX, 8, 'tw12')}-${fake(HEX, 4, 'tw13')}-4${fake(HEX, 3, 'tw14')}-8${fake(HEX, 3, 'tw15')}-${fake(HEX, 12, 'tw16')}`],
      negative: ['https://outlook.office.com/webhook/...'],
    },
  },
];
