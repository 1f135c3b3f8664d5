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

  it('companion mode needs https (but for localhost), both variables, and no credentials in the URL', () => {
    const key = { UPSTREAM_API_KEY: 'zqt_abcdefghijklmnop' };
    expect(loadConfig({ UPSTREAM_URL: 'https://api.vectara.io', ...key }).upstream).toMatchObject({
      url: 'https://api.vectara.io',
      timeoutMs: 10_000,
    });
    expect(loadConfig({ UPSTREAM_URL: 'http://127.0.0.1:9000/', ...key }).upstream?.url).toBe(
      'http://127.0.0.1:9000',
    );
    expect(() => loadConfig({ UPSTREAM_URL: 'http://api.vectara.io', ...key })).toThrow(
      /must be https/,
    );
    expect(() => loadConfig({ UPSTREAM_URL: 'https://user:pw@api.vectara.io', ...key })).toThrow(
      /must not carry credentials/,
    );
    expect(() => loadConfig({ UPSTREAM_URL: 'https://api.vectara.io' })).toThrow(
      /UPSTREAM_API_KEY is not/,
    );
    expect(() => loadConfig(key)).toThrow(/UPSTREAM_URL is not/);
    try {
      loadConfig({ UPSTREAM_URL: 'https://user:secretpw@x.example', ...key });
    } catch (err) {
      expect((err as Error).message).not.toContain('secretpw');
    }
    expect(loadConfig({}).upstream).toBeNull();
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
