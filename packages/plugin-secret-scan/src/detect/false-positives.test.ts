import { describe, expect, it } from 'vitest';
import { ALNUM, BASE64, HEX, fake, seededRandom } from '../rules/samples.js';
import { isPlaceholder } from './false-positives.js';

describe('isPlaceholder', () => {
  it('knows stand-ins however they are typed', () => {
    for (const body of ['<YOUR_TOKEN>', '${API_KEY}', '{{ token }}', 'your-api-key', 'YOUR_API_KEY', 'Your_Key_Here', 'changeme', 'ChangeMe', 'changeMe', 'replace_me', 'NotReal', 'xxxxxxxxxxxx', 'XXXX-XXXX', 'abcdef', '1234567890', 'sk-...', 'dummy', 'EXAMPLE'])
      expect(isPlaceholder(body), body).toBe(true);
    for (const value of ['test-token', 'demo_secret_value', 'MyTestToken', 'admin1234', 'qwerty123'])
      expect(isPlaceholder(value, true), value).toBe(true);
  });

  it('does not take a random token for a stand-in because a word turns up in it by chance', () => {
    // A JFrog key body that holds `yOuR`, and a Slack token body that holds `123456`.
    expect(isPlaceholder('K8eX2UvCpKj70eqSNyOuR5q9qaASszqmuYf9namEeltIiUphqDbhQ5pa0kkOsiTzLFo6T')).toBe(false);
    expect(isPlaceholder('171454550667-769661234569-9358369666589-d89f2141433839bb135f4a7ed01eb500')).toBe(false);
    // `XyZ` in a base64 secret assigned to a generic key (`xyz` is no stand-in word any more).
    expect(isPlaceholder('HCf17lxOXyZazUPwCC93OoVI8hZkCV0K7VERE50U', true)).toBe(false);

    // Rates over many seeded random tokens (matched case-blind, before: about 1 in 7,000 JFrog
    // keys, 1 in 700 generic base64 secrets, 1 in 10,000 Slack tokens were dropped).
    const rng = seededRandom(20261206);
    const n = 60_000;
    let jfrog = 0;
    let generic = 0;
    let slack = 0;
    for (let i = 0; i < n; i++) {
      if (isPlaceholder(fake(ALNUM, 69, '', rng))) jfrog++;
      if (isPlaceholder(fake(BASE64, 40, '', rng), true)) generic++;
      const digits = (k: number) => fake('0123456789', k, '', rng);
      if (isPlaceholder(`${digits(12)}-${digits(12)}-${digits(13)}-${fake(HEX, 32, '', rng)}`)) slack++;
    }
    expect(jfrog).toBeLessThanOrEqual(4);
    expect(generic).toBeLessThanOrEqual(10);
    expect(slack).toBeLessThanOrEqual(1);
  }, 60_000);
});
