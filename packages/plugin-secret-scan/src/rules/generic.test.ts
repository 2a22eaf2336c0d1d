import { describe, expect, it } from 'vitest';
import { BASE64, fake, seededRandom } from './samples.js';
import { assessAssignment } from './generic.js';

describe('assessAssignment', () => {
  it('keeps a base64 secret that starts with / (one in 64 does) and drops paths', () => {
    const rng = seededRandom(64);
    let checked = 0;
    for (let i = 0; checked < 20 && i < 10_000; i++) {
      const value = fake(BASE64, 40, '', rng);
      if (!value.startsWith('/')) continue;
      checked++;
      expect(assessAssignment('client_secret', value, `"client_secret": "${value}",`), value).toBe('unknown');
    }
    expect(checked).toBe(20);
    for (const path of ['/run/secrets/db_password', '/Users/JohnSmith/Library/Keychains/login', '/var/lib/app/tokens/ServiceAccount', '/Users/John.Smith/.ssh/id_ed25519', '/mnt/DATA/KEYS/prod', '/api/v1/token', './secrets/token', '~/.config/app/token'])
      expect(assessAssignment('secret', path, `secret: ${path}`), path).toBe('invalid');
  });
});
