/**
 * Per-key allowed origins: exact origins (`https://docs.example.com`, `http://localhost:3000`)
 * or a wildcard for subdomains (`https://*.example.com`, which does not match the bare domain).
 */
const patternShape = /^(https?):\/\/(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:]+\])(:\d{1,5})?$/;

/** Why a pattern is not acceptable, or null when it is. */
export function originPatternProblem(pattern: string): string | null {
  if (pattern !== pattern.trim() || pattern.toLowerCase() !== pattern) {
    return `"${pattern}" must be lower case without spaces`;
  }
  if (pattern.endsWith('/')) return `"${pattern}" must not end with "/" (an origin has no path)`;
  if (!patternShape.test(pattern)) {
    return `"${pattern}" is not an origin like https://example.com or https://*.example.com`;
  }
  return null;
}

export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  const normalised = origin.toLowerCase();
  for (const pattern of patterns) {
    if (pattern === normalised) return true;
    const star = pattern.indexOf('://*.');
    if (star !== -1) {
      const scheme = pattern.slice(0, star + 3);
      const suffix = pattern.slice(star + 4); // ".example.com[:port]"
      if (normalised.startsWith(scheme) && normalised.endsWith(suffix)) {
        const host = normalised.slice(scheme.length, normalised.length - suffix.length);
        if (/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host)) return true;
      }
    }
  }
  return false;
}
