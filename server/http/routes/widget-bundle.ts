import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, gunzip, gzip, constants as zlib } from 'node:zlib';

/** The content codings the widget is sent in, best first. */
export const contentCodings = ['br', 'gzip', 'identity'] as const;
export type ContentCoding = (typeof contentCodings)[number];

export interface WidgetRepresentation {
  body: Buffer;
  /** Strong, and different for each coding: each is a different sequence of bytes. */
  etag: string;
}

export interface WidgetBundle {
  /** The first 12 hex digits of the bundle's SHA-256: the name of its immutable URL. */
  hash: string;
  representations: Record<ContentCoding, WidgetRepresentation>;
}

interface Compressor {
  pack(input: Buffer): Promise<Buffer>;
  unpack(input: Buffer, maxOutputLength: number): Promise<Buffer>;
  suffix: string;
}

const compressors: Record<'br' | 'gzip', Compressor> = {
  br: {
    pack: (input) =>
      promisify(brotliCompress)(input, {
        params: {
          [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
          [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        },
      }),
    unpack: (input, maxOutputLength) => promisify(brotliDecompress)(input, { maxOutputLength }),
    suffix: '.br',
  },
  gzip: {
    pack: (input) => promisify(gzip)(input, { level: zlib.Z_BEST_COMPRESSION }),
    unpack: (input, maxOutputLength) => promisify(gunzip)(input, { maxOutputLength }),
    suffix: '.gz',
  },
};

/**
 * The build's `search-gate.js.br` / `.gz` when they hold exactly the bundle (a file left from an
 * older build is not trusted), otherwise the bundle compressed here, once.
 */
async function compressed(file: string, raw: Buffer, coding: 'br' | 'gzip'): Promise<Buffer> {
  const { pack, unpack, suffix } = compressors[coding];
  try {
    const packed = await readFile(file + suffix);
    // Bounded: a file that unpacks to more than the bundle is not the bundle.
    const unpacked = await unpack(packed, raw.length + 1);
    if (unpacked.equals(raw)) return packed;
  } catch {
    // missing, unreadable or corrupt: compress below
  }
  return pack(raw);
}

async function load(file: string): Promise<WidgetBundle> {
  const raw = await readFile(file);
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 12);
  const [br, gz] = await Promise.all([compressed(file, raw, 'br'), compressed(file, raw, 'gzip')]);
  return {
    hash,
    representations: {
      br: { body: br, etag: `"${hash}-br"` },
      gzip: { body: gz, etag: `"${hash}-gz"` },
      identity: { body: raw, etag: `"${hash}"` },
    },
  };
}

/**
 * `search-gate.js` as the server sends it, held in memory with its compressed forms: read and
 * compressed once per build, not per request. A rebuild (another size, time or inode) is picked
 * up by the next request, as a static file server would.
 */
export class WidgetBundleFile {
  #loaded: { version: string; bundle: Promise<WidgetBundle> } | undefined;

  constructor(readonly file: string) {}

  /** The bundle, or undefined when it has not been built. */
  async current(): Promise<WidgetBundle | undefined> {
    let version: string;
    try {
      const info = await stat(this.file);
      version = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    if (this.#loaded?.version !== version) {
      const bundle = load(this.file);
      this.#loaded = { version, bundle };
      // A failed read is not remembered: the next request tries again.
      bundle.catch(() => {
        if (this.#loaded?.bundle === bundle) this.#loaded = undefined;
      });
    }
    try {
      return await this.#loaded.bundle;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error &&
  'code' in error &&
  (error.code === 'ENOENT' || error.code === 'ENOTDIR');
