/**
 * Per-key allowed origins: exact origins (`https://docs.example.com`, `http://localhost:3000`)
 * or a wildcard for subdomains (`https://*.example.com`, which does not match the bare domain).
 */

/** A DNS label (RFC 1123): letters, digits and inner hyphens, at most 63 characters. */
const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const hostname = `${label}(?:\\.${label})*`;
const patternShape = new RegExp(`^(https?)://(\\*\\.)?(${hostname}|\\[[0-9a-f:]+\\])(:\\d{1,5})?$`);
const subdomains = new RegExp(`^${hostname}$`);

/** Why a pattern is not acceptable, or null when it is. */
export function originPatternProblem(pattern: string): string | null {
  if (pattern !== pattern.trim() || pattern.toLowerCase() !== pattern) {
    return `"${pattern}" must be lower case without spaces`;
  }
  if (pattern.endsWith('/')) return `"${pattern}" must not end with "/" (an origin has no path)`;
  // Browsers never send a default port, so a pattern with one could never match.
  if (/^https:\/\/.*:443$/.test(pattern) || /^http:\/\/.*:80$/.test(pattern)) {
    return `"${pattern}" names the default port: leave it out (${pattern.replace(/:(443|80)$/, '')})`;
  }
  if (!patternShape.test(pattern)) {
    return `"${pattern}" is not an origin like https://example.com or https://*.example.com`;
  }
  return null;
}

/**
 * The origin as browsers serialise it (lower-case scheme and host, no default port), or null
 * when the header is not an http(s) origin at all (`null`, a path, garbage). CORS answers name
 * this form, never the bytes as sent.
 */
export function normaliseOrigin(origin: string): string | null {
  if (!/^https?:\/\/[^/?#]+$/i.test(origin)) return null;
  try {
    const parsed = new URL(origin).origin;
    return parsed === 'null' ? null : parsed;
  } catch {
    return null;
  }
}

export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  const normalised = normaliseOrigin(origin);
  if (normalised === null) return false;
  for (const pattern of patterns) {
    if (pattern === normalised) return true;
    const star = pattern.indexOf('://*.');
    if (star !== -1) {
      const scheme = pattern.slice(0, star + 3);
      const suffix = pattern.slice(star + 4); // ".example.com[:port]"
      if (normalised.startsWith(scheme) && normalised.endsWith(suffix)) {
        const host = normalised.slice(scheme.length, normalised.length - suffix.length);
        if (subdomains.test(host)) return true;
      }
    }
  }
  return false;
}
