import type { RuleContext, SecretRule, Validation } from './rule.js';
import { ALNUM, HEX, fake } from './samples.js';
import { assessAssignment } from './generic.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A file in netrc syntax: `~/.netrc`, Windows' `_netrc`, Emacs' `~/.authinfo`, `deploy.netrc`. */
const NETRC_FILE = /(?:^|[\\/._-])(?:netrc|authinfo)$/i;

/**
 * Judge a password written after its field name. A UUID counts here (Heroku's CLI writes its
 * API key, a UUID, as the netrc password), though in a generic assignment it reads as an id.
 */
function assessPassword(value: string, line: string): Validation {
  if (UUID.test(value)) return 'unknown';
  return assessAssignment('password', value, line);
}

/** Passwords for host logins in netrc files and on command lines (mysql -p…, sshpass -p …). */
export const hostLoginRules: readonly SecretRule[] = [
  {
    id: 'netrc-password',
    provider: 'Generic',
    description: 'Password in a netrc entry (machine … login … password …), in a .netrc, _netrc or .authinfo file or written into one by a script',
    title: 'Password in a netrc entry',
    // On one line after `machine HOST` or `default` anywhere (`echo "machine … password …" > ~/.netrc`),
    // or on a line of its own in a netrc file, where fields may stand one per line.
    regex: /(?:(?:\bmachine[ \t]+\S+|\bdefault)(?:[ \t]+(?:login|account|port)[ \t]+\S+)*[ \t]+|^[ \t]*)password[ \t]+(["']?)(?<secret>[^\s"']{4,256})\1(?=$|[\s"'])/m,
    keywords: ['password'],
    before: 400,
    confidence: 'medium',
    skipPlaceholderCheck: true,
    validate: (secret, m, context: RuleContext) => {
      if (!/^(?:machine|default)\b/.test(m[0]) && !NETRC_FILE.test(context.file ?? '')) return 'invalid';
      return assessPassword(secret, m.input);
    },
    severity: 'high',
    tests: {
      positive: [
        `machine api.acme.io login deploy password ${fake(ALNUM, 20, 'netrc1')}`,
        `RUN echo "machine git.acme.io login ci password ${fake(ALNUM, 24, 'netrc2')}" > /root/.netrc`,
        `machine api.heroku.com login ops@acme.io password ${fake(HEX, 8, 'netrc3a')}-${fake(HEX, 4, 'netrc3b')}-4${fake(HEX, 3, 'netrc3c')}-9${fake(HEX, 3, 'netrc3d')}-${fake(HEX, 12, 'netrc3e')}`,
      ],
      negative: [
        'machine api.acme.io login deploy password $NETRC_PASSWORD',
        'machine api.acme.io login deploy password <your-password>',
        'machine example.org login anonymous password guest',
        '# the password field of .netrc holds the token',
        'Enter your password twice to confirm it.',
      ],
    },
  },
  {
    id: 'cli-password-argument',
    provider: 'Generic',
    description: 'Password given on a command line: mysql, mysqldump, mysqladmin or mariadb -pPASSWORD, sshpass -p PASSWORD',
    title: 'Password on a command line',
    // mysql's `-p` takes its value joined (`-p secret` prompts, then names a database); sshpass's
    // may follow a space. `-P` is mysql's port. The command's own arguments end at `|`, `;` or `&`,
    // a value at a backtick (a Markdown code span).
    regex:
      /\b(?:(?:mysql(?:dump|admin|import|check|show|slap|pump)?|mariadb(?:-dump|-admin|-import|-check|-show|-slap)?)\b[^\n|;&]*?[\s"',[]-p|sshpass\b[^\n|;&]*?\s-p[ \t]*)(["']?)(?<secret>[^\s"'`]{4,128})\1(?=$|[\s"',\])|;&])/,
    keywords: ['mysql', 'mariadb', 'sshpass'],
    confidence: 'medium',
    skipPlaceholderCheck: true,
    validate: (secret, m) => assessPassword(secret, m.input),
    severity: 'high',
    tests: {
      positive: [
        `mysqldump -u backup -p${fake(ALNUM, 16, 'mysql1')} --single-transaction shop > shop.sql`,
        `mysql -h db.internal -u admin -p'${fake(ALNUM, 14, 'mysql2')}x!' shop < schema.sql`,
        `    test: ["CMD", "mysqladmin", "ping", "-h", "localhost", "-u", "root", "-p${fake(ALNUM, 18, 'mysql3')}"]`,
        `sshpass -p '${fake(ALNUM, 16, 'sshpass')}' ssh deploy@10.0.4.7 'systemctl restart app'`,
      ],
      negative: [
        'mysql -u root -p shop',
        'mysqldump -u root -p"$MYSQL_ROOT_PASSWORD" shop',
        'mysql -uroot -p${DB_PASS} -P3306 shop',
        'mysql -u root -proot shop',
        'sshpass -p "$SSH_PASS" ssh deploy@host',
        'sshpass -f ~/.ssh/pass ssh deploy@host',
        'pg_dump -U app -p 5432 shop',
        'read: names ending in `key`, Hibernate XML passwords, `mysql -p`/`sshpass -p`, kubeconfig `client-key-data:`',
      ],
    },
  },
];
