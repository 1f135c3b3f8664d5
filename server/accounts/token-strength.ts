/**
 * Why an owner-chosen admin token is too weak, or null. Tokens Searchgate makes carry 160
 * random bits; one set through ADMIN_TOKEN must be long and varied enough that it could not be
 * guessed even at the rate an attacker could try it if the throttle were not there. Hashes
 * stay unsalted SHA-256, which is right for high-entropy secrets and keeps every check cheap.
 */
export function tokenWeakness(token: string): string | null {
  if (token.length < 32) return 'must be at least 32 characters';
  if (/\s/.test(token)) return 'must not contain spaces';
  const distinct = new Set(token).size;
  if (distinct < 10) return 'must use at least 10 different characters';
  // Shannon entropy of the token's own characters: repeats and short cycles score low.
  const counts = new Map<string, number>();
  for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / token.length;
    bitsPerChar -= p * Math.log2(p);
  }
  if (bitsPerChar * token.length < 100) {
    return 'is too predictable (generate one with: openssl rand -base64 32)';
  }
  if (isRun(token)) return 'is a run of consecutive characters';
  return null;
}

/** `abcdef…`, `123456…`, `zyxw…`: every character one code point from the last. */
function isRun(token: string): boolean {
  let steps = 0;
  for (let i = 1; i < token.length; i++) {
    if (Math.abs(token.charCodeAt(i) - token.charCodeAt(i - 1)) === 1) steps++;
  }
  return steps >= token.length * 0.8;
}
