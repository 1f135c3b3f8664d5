import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSecret } from '../../server/keys/key-format.ts';
import { spawnServer } from '../helpers/server-process.ts';
import { postJson } from '../helpers/test-server.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'searchgate-shutdown-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SIGTERM', () => {
  it('lets an in-flight request finish, refuses new connections, and exits 0', async () => {
    const adminToken = generateSecret('admin');
    const server = await spawnServer({
      DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken,
      CUSTOMER_ID: '1000000001',
    });
    const headers = { authorization: `Bearer ${adminToken}`, 'customer-id': '1000000001' };
    await postJson(`${server.url}/v1/create-corpus`, { corpus: { name: 'c' } }, headers);

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify({
      corpusId: 1,
      document: {
        documentId: 'late',
        title: 'Late',
        section: [{ text: 'arrives after the signal '.repeat(50) }],
      },
    });
    const half = Math.floor(body.length / 2);
    const { hostname, port } = new URL(server.url);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: hostname,
          port,
          path: '/v1/index',
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => {
            text += d.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, half));
      setTimeout(() => {
        server.proc.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(half)), 300);
      }, 100);
    });
    const result = await answer;
    expect(result.status, result.text).toBe(200);
    expect(JSON.parse(result.text).status.code).toBe('OK');

    const exitCode = await new Promise<number | null>((resolve) => {
      if (server.proc.exitCode !== null) resolve(server.proc.exitCode);
      else server.proc.on('exit', (code) => resolve(code));
    });
    expect(exitCode).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
