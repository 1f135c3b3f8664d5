import { describe, expect, it } from 'vitest';
import { tokenWeakness } from '../../server/accounts/token-strength.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { generateSecret } from '../../server/keys/key-format.ts';

describe('configuration from the environment', () => {
  it('takes defaults, and names a bad variable without printing a secret', () => {
    expect(loadConfig({}).port).toBe(8080);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT="eighty"/);
    const weak = 'a'.repeat(40);
    let message = '';
    try {
      loadConfig({ ADMIN_TOKEN: weak });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/ADMIN_TOKEN=\(hidden\)/);
    expect(message).not.toContain(weak);
  });

  it.each([
    ['short', 'Zx9!kQ2@'],
    ['one character', 'a'.repeat(64)],
    ['a short cycle', 'ab12'.repeat(10)],
    ['a word repeated', 'password'.repeat(5)],
    ['a run', 'abcdefghijklmnopqrstuvwxyzABCDEF'],
    ['spaces', 'correct horse battery staple extra words'],
  ])('refuses an obviously weak ADMIN_TOKEN (%s)', (_name, token) => {
    expect(tokenWeakness(token)).not.toBeNull();
    expect(() => loadConfig({ ADMIN_TOKEN: token })).toThrow(ConfigError);
  });

  it.each([
    ['one Searchgate generated', generateSecret('admin')],
    ['openssl rand -hex 16', '3f8a1c9e0b7d4f2a6c5e8b1d9f0a3c7e'],
    ['openssl rand -base64 32', 'q8Vt0mZ3rX+7kLpN2yW5sB1cF9hJ4uE6aD0gT8iO3nM='],
  ])('accepts a strong one (%s)', (_name, token) => {
    expect(tokenWeakness(token)).toBeNull();
    expect(loadConfig({ ADMIN_TOKEN: token }).adminToken).toBe(token);
  });
});
