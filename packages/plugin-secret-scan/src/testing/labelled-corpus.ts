/**
 * A labelled corpus: realistic files of many types with planted credentials (positives, built
 * at run time) and hard negatives (examples, placeholders, references, digests, UUIDs, public
 * keys, lockfile integrity, i18n strings, test doubles). Each positive line is labelled; every
 * other line is a negative.
 */
import { ALNUM, BASE32, BASE64, BASE64URL, HEX, LETTERS, checksummedToken, fake, fakeAzureKey, fakeDiscordToken, fakeJwt, fakePrivateKey, fakePypiToken } from '../rules/samples.js';

export interface CorpusFile {
  path: string;
  content: string;
  /** 1-based lines that hold a real credential. */
  positives: number[];
}

type Line = string | { secret: string };
const P = (secret: string): Line => ({ secret });

function file(path: string, lines: Line[]): CorpusFile {
  const out: string[] = [];
  const positives: number[] = [];
  for (const l of lines) {
    if (typeof l === 'string') out.push(...l.split('\n'));
    else {
      positives.push(out.length + 1);
      out.push(...l.secret.split('\n'));
    }
  }
  return { path, content: out.join('\n') + '\n', positives };
}

const uuid = (label: string): string => `${fake(HEX, 8, label + 'a')}-${fake(HEX, 4, label + 'b')}-4${fake(HEX, 3, label + 'c')}-9${fake(HEX, 3, label + 'd')}-${fake(HEX, 12, label + 'e')}`;

/** Build the corpus (async: private keys are generated fresh). */
export async function buildLabelledCorpus(): Promise<CorpusFile[]> {
  const rsa = await fakePrivateKey('rsa');
  const openssh = await fakePrivateKey('openssh');
  const pkcs8 = await fakePrivateKey('pkcs8');
  const d = '-----';
  return [
    file('.env', [
      '# local development settings',
      'NODE_ENV=development',
      'PORT=3000',
      P(`GITHUB_TOKEN=${checksummedToken('ghp_', 'c-ghp1')}`),
      P(`STRIPE_SECRET_KEY=sk_live_${fake(ALNUM, 99, 'c-st')}`),
      P(`DATABASE_PASSWORD=h7Rk${fake(ALNUM, 10, 'c-dbp')}%2w`),
      'DATABASE_USER=app',
      'REDIS_URL=redis://localhost:6379/0',
      P(`OPENAI_API_KEY=sk-proj-${fake(BASE64URL, 74, 'c-oa1')}T3BlbkFJ${fake(BASE64URL, 74, 'c-oa2')}`),
      'SENTRY_DSN=',
      'LOG_LEVEL=debug',
    ]),
    file('.env.example', [
      'GITHUB_TOKEN=<your-github-token>',
      'STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
      'DATABASE_PASSWORD=changeme',
      'OPENAI_API_KEY=sk-...',
      'AWS_ACCESS_KEY_ID=AKIA' + 'IOSFODNN7EXAMPLE',
      'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY', // psr-allow (split sample)
      'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'SECRET_KEY=replace-me',
      'API_TOKEN=${API_TOKEN}',
    ]),
    file('config/settings.py', [
      'import os',
      '',
      'DEBUG = False',
      'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
      P(`AWS_ACCESS_KEY_ID = "AKIA${fake(BASE32, 16, 'c-aws')}"`),
      P(`AWS_SECRET_ACCESS_KEY = "${fake(BASE64, 40, 'c-awss')}"`),
      'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": os.getenv("DB_PASSWORD")}}',
      'PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]',
      'AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]',
      'SESSION_COOKIE_AGE = 1209600',
      'TOKEN_URL = "https://oauth2.googleapis.com/token"',
      P(`SENDGRID_API_KEY = "SG.${fake(BASE64URL, 22, 'c-sg1')}.${fake(BASE64URL, 43, 'c-sg2')}"`),
      'CSRF_COOKIE_NAME = "csrftoken"',
    ]),
    file('src/auth/login.ts', [
      "import { hash } from 'argon2';",
      '',
      'export async function login(username: string, password: string) {',
      '  const token = await issueToken(username);',
      '  if (password === confirmPassword) return token;',
      "  const apiKey = config.get('apiKey');",
      '  const secret = process.env.JWT_SECRET ?? "";',
      '  const passwordHash = await hash(password);',
      '  return { token, passwordHash };',
      '}',
      '',
      P(`const SLACK_TOKEN = 'xoxb-${fake('0123456789', 12, 'c-sl1')}-${fake('0123456789', 13, 'c-sl2')}-${fake(ALNUM, 24, 'c-sl3')}';`),
      P(`const anthropic = new Anthropic({ apiKey: 'sk-ant-api03-${fake(BASE64URL, 93, 'c-an')}AA' });`),
      "const tokenizer = new Tokenizer({ maxTokens: 4096 });",
      "export const PASSWORD_MIN_LENGTH = 12;",
    ]),
    file('src/client/api.go', [
      'package client',
      '',
      'const (',
      '\tbaseURL = "https://api.example.org/v2"',
      P(`\tapiToken = "glpat-${fake(BASE64URL, 20, 'c-gl')}"`),
      '\tuserAgent = "acme-client/1.4"',
      ')',
      '',
      'func New(token string) *Client { return &Client{token: token} }',
      P(`var dbURL = "postgres://billing:${fake(ALNUM, 20, 'c-pg')}@db.prod.internal:5432/billing"`),
      'var localURL = "postgres://postgres:postgres@localhost:5432/test"',
    ]),
    file('deploy/docker-compose.yml', [
      'services:',
      '  db:',
      '    image: postgres:16',
      '    environment:',
      '      POSTGRES_PASSWORD: postgres',
      '      POSTGRES_USER: postgres',
      '  api:',
      '    environment:',
      '      DB_PASSWORD: ${DB_PASSWORD}',
      P(`      MAILGUN_API_KEY: key-${fake(HEX, 32, 'c-mg')}`),
      '      JWT_SECRET: "{{ jwt_secret }}"',
      P(`      REDIS_PASSWORD: "Xk29vLm${fake(ALNUM, 9, 'c-rp')}!q"`),
    ]),
    file('deploy/k8s/secret.yaml', [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: api-secrets',
      'type: Opaque',
      'stringData:',
      P(`  DATADOG_API_KEY: "${fake(HEX, 32, 'c-dd')}"`),
      P(`  HF_TOKEN: "hf_${fake(LETTERS, 34, 'c-hf')}"`),
      '  SERVICE_NAME: api',
    ]),
    file('infra/main.tf', [
      'resource "aws_db_instance" "main" {',
      '  engine   = "postgres"',
      '  username = "app"',
      '  password = var.db_password',
      '}',
      '',
      'resource "azurerm_storage_account" "logs" {',
      '  name = "acmelogs"',
      '}',
      '',
      'provider "digitalocean" {',
      P(`  token = "dop_v1_${fake(HEX, 64, 'c-do')}"`),
      '}',
      P(`  storage_connection = "DefaultEndpointsProtocol=https;AccountName=acmelogs;AccountKey=${fakeAzureKey('c-az')};EndpointSuffix=core.windows.net"`),
      '  secret_key = data.aws_secretsmanager_secret_version.app.secret_string',
    ]),
    file('infra/prod.tfvars', [
      'region = "eu-west-1"',
      P(`db_password = "Tq8${fake(ALNUM, 12, 'c-tfv')}#z"`),
      'instance_type = "t3.medium"',
    ]),
    file('config/application.properties', [
      'spring.datasource.url=jdbc:postgresql://localhost:5432/app',
      'spring.datasource.username=app',
      P(`spring.datasource.password=Mv4${fake(ALNUM, 11, 'c-sp')}`),
      'server.port=8080',
      'management.endpoints.web.exposure.include=health',
      'spring.security.oauth2.client.registration.github.client-id=Iv1.8a61f9b3a7aba766',
      'app.jwt.expiration=86400',
    ]),
    file('config/appsettings.json', [
      '{',
      '  "ConnectionStrings": {',
      P(`    "Default": "Server=sql.acme.io;Database=app;User Id=app;Password=${fake(ALNUM, 18, 'c-ado')};"`),
      '    "Local": "Server=(localdb)\\\\mssqllocaldb;Database=app;Trusted_Connection=True;"',
      '  },',
      '  "Logging": { "LogLevel": { "Default": "Information" } },',
      '  "Jwt": { "Issuer": "acme", "Audience": "acme-api", "Key": "" }',
      '}',
    ]),
    file('notebooks/explore.ipynb', [
      '{',
      ' "cells": [',
      '  {',
      '   "cell_type": "code",',
      '   "source": [',
      '    "import openai\\n",',
      P(`    "openai.api_key = \\"sk-${fake(ALNUM, 20, 'c-nb1')}T3BlbkFJ${fake(ALNUM, 20, 'c-nb2')}\\"\\n",`),
      P(`    "HF_TOKEN = \\"hf_${fake(LETTERS, 34, 'c-nb3')}\\"\\n",`),
      '    "token = os.environ[\\"HF_TOKEN\\"]\\n"',
      '   ]',
      '  },',
      '  { "cell_type": "markdown", "source": ["Set your `api_key` before running."] }',
      ' ],',
      ' "nbformat": 4',
      '}',
    ]),
    file('keys/id_rsa', [P(rsa.trimEnd())]),
    file('keys/id_ed25519', [P(openssh.trimEnd())]),
    file('keys/id_ed25519.pub', [`ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${fake(BASE64, 43, 'c-pub')} deploy@ci`]),
    file('certs/server.pem', [`${d}BEGIN CERTIFICATE${d}`, ...(fake(BASE64, 512, 'c-cert').match(/.{1,64}/g) ?? []), `${d}END CERTIFICATE${d}`, `${d}BEGIN PUBLIC KEY${d}`, fake(BASE64, 64, 'c-pk'), `${d}END PUBLIC KEY${d}`]),
    file('config/service-account.json', [
      '{',
      '  "type": "service_account",',
      '  "project_id": "acme-prod",',
      `  "private_key_id": "${fake(HEX, 40, 'c-pkid')}",`,
      P(`  "private_key": ${JSON.stringify(pkcs8)},`),
      '  "client_email": "deployer@acme-prod.iam.gserviceaccount.com",',
      `  "client_id": "${fake('0123456789', 21, 'c-cid')}"`,
      '}',
    ]),
    file('docs/getting-started.md', [
      '# Getting started',
      '',
      'Export a token first: `export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`.',
      'An AWS key looks like `AKIA' + 'IOSFODNN7EXAMPLE`; never commit one.',
      'Call the API with `Authorization: Bearer <token>`.',
      'The sample JWT from jwt.io: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'Connect with `postgres://user:password@localhost/mydb`.',
      '```yaml',
      'password: your-password-here',
      'api_key: YOUR_API_KEY',
      '```',
      `The build of commit ${fake(HEX, 40, 'c-sha')} fixed the token refresh.`,
      `Request ${uuid('c-u1')} failed with 401.`,
      P(`Oops, pasted my key: xoxp-${fake('0123456789', 12, 'c-xp1')}-${fake('0123456789', 12, 'c-xp2')}-${fake('0123456789', 13, 'c-xp3')}-${fake(HEX, 32, 'c-xp4')}`),
    ]),
    file('package-lock.json', [
      '{',
      '  "name": "web",',
      '  "lockfileVersion": 3,',
      '  "packages": {',
      '    "node_modules/left-pad": {',
      '      "version": "1.3.0",',
      '      "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",',
      `      "integrity": "sha512-${fake(BASE64, 86, 'c-int1')}=="`,
      '    },',
      '    "node_modules/js-tokens": {',
      '      "version": "4.0.0",',
      `      "integrity": "sha1-${fake(BASE64, 27, 'c-int2')}="`,
      '    }',
      '  }',
      '}',
    ]),
    file('poetry.lock', [
      '[[package]]',
      'name = "requests"',
      'version = "2.32.3"',
      'files = [',
      `    {file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:${fake(HEX, 64, 'c-ph1')}"},`,
      ']',
      '[metadata]',
      `content-hash = "${fake(HEX, 64, 'c-ph2')}"`,
    ]),
    file('requirements.txt', [`requests==2.32.3 --hash=sha256:${fake(HEX, 64, 'c-rh')}`, 'flask==3.0.3']),
    file('web/styles.css', [`.logo { background: url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAA${fake(BASE64, 200, 'c-img')}==); }`, '.token { color: #ff00aa; }']),
    file('web/i18n/en.json', [
      '{',
      '  "password": "Password",',
      '  "forgot_password": "Forgot your password?",',
      '  "password_hint": "At least 12 characters",',
      '  "token_expired": "Your session has expired",',
      '  "api_key_label": "API key",',
      '  "secret_question": "What was the name of your first pet?"',
      '}',
    ]),
    file('tests/test_auth.py', [
      'def test_login(client):',
      '    password = "test-password"',
      '    token = "dummy-token"',
      '    api_key = "fake_api_key_for_tests"',
      '    mock_secret = "not-a-real-secret"',
      `    request_id = "${uuid('c-u2')}"`,
      '    assert client.login("alice", password)',
      `    digest = "${fake(HEX, 64, 'c-dig')}"`,
    ]),
    file('scripts/deploy.sh', [
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      'docker login -u acme -p "$DOCKER_PASSWORD"',
      P(`curl -H "Authorization: token ${checksummedToken('ghp_', 'c-ghp2')}" https://api.github.com/user`),
      P(`export VAULT_TOKEN=hvs.${fake(BASE64URL, 90, 'c-hvs')}`),
      'export NPM_TOKEN="${NPM_TOKEN}"',
      P(`npm config set //registry.npmjs.org/:_authToken ${checksummedToken('npm_', 'c-npm')}`),
    ]),
    file('.github/workflows/ci.yml', [
      'jobs:',
      '  test:',
      '    steps:',
      '      - run: npm publish',
      '        env:',
      '          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
      '          PYPI_PASSWORD: ${{ secrets.PYPI }}',
      P(`          TWINE_PASSWORD: ${fakePypiToken('c-pypi')}`),
    ]),
    file('src/bot/discord.js', [
      "const { Client } = require('discord.js');",
      'const client = new Client();',
      P(`client.login('${fakeDiscordToken('c-dc')}');`),
      P(`const TELEGRAM = '${fake('0123456789', 10, 'c-tg1')}:AA${fake(BASE64URL, 33, 'c-tg2')}';`),
      `const BUILD_ID = '${fake(HEX, 40, 'c-bid')}';`,
    ]),
    file('src/services/payments.rb', [
      'class Payments',
      P(`  Stripe.api_key = "rk_live_${fake(ALNUM, 99, 'c-rk')}"`),
      "  WEBHOOK_SECRET = ENV.fetch('STRIPE_WEBHOOK_SECRET')",
      P(`  DATABRICKS = "dapi${fake(HEX, 32, 'c-dapi')}"`),
      'end',
    ]),
    file('src/config.xml', [
      '<config>',
      '  <username>svc-app</username>',
      P(`  <password>Ny7${fake(ALNUM, 12, 'c-xml')}$k</password>`),
      '  <passwordPolicy>strict</passwordPolicy>',
      '  <token>${env.API_TOKEN}</token>',
      '</config>',
    ]),
    file('src/session.py', [
      'import jwt',
      P(`SERVICE_TOKEN = "${fakeJwt('c-jwt')}"`),
      'def decode(token):',
      '    return jwt.decode(token, key=settings.JWT_KEY, algorithms=["HS256"])',
    ]),
    file('dist/app.min.js', [
      `!function(e){var t={token:"",password:null,apiKey:void 0};function n(e){return e.secret||e.token}e.auth=function(r){return r.password===r.confirm}}(window);var sha="${fake(HEX, 64, 'c-min')}";`,
    ]),
  ];
}
