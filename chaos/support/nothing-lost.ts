import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { expect } from 'vitest';
import type { Stack } from './stack.js';

const TERMINAL = ['completed', 'failed', 'cancelled'];

/** A client of the test services' S3-compatible server, straight (not through a test's proxy). */
export function testS3Client(): S3Client {
  return new S3Client({
    endpoint: process.env.S3_ENDPOINT,
    region: process.env.S3_REGION,
    forcePathStyle: true,
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY!,
    },
  });
}

async function storedExportKeys(stack: Stack): Promise<string[]> {
  if (stack.env.S3_BUCKET) {
    const s3 = testS3Client();
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: stack.env.S3_BUCKET,
          Prefix: 'exports/',
          ContinuationToken: token,
        }),
      );
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }
  const root = join(stack.storageDir, 'exports');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(stack.storageDir, join(entry.parentPath, entry.name)));
}

/**
 * What every fault test ends with: each export finished (or, with `inFlight`, still pending or
 * processing), exactly the completed exports' files in storage (no orphan, none missing) and no job folder
 * left in the workers' temp space.
 */
export async function expectNothingLost(stack: Stack, { inFlight = false } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: stack.env.DATABASE_URL });
  await client.connect();
  let rows: { id: string; user_id: string; status: string; output_s3_key: string | null }[];
  try {
    ({ rows } = await client.query('SELECT id, user_id, status, output_s3_key FROM exports'));
  } finally {
    await client.end();
  }
  const allowed = inFlight ? [...TERMINAL, 'pending', 'processing'] : TERMINAL;
  for (const row of rows) expect(allowed, `export ${row.id} is ${row.status}`).toContain(row.status);
  const completedFiles = rows.filter((row) => row.status === 'completed').map((row) => row.output_s3_key);
  const ours = new Set(rows.map((row) => `exports/${row.user_id}/${row.id}/`));
  // a shared bucket also holds other tests' exports: only this stack's count
  const stored = (await storedExportKeys(stack)).filter((key) =>
    [...ours].some((prefix) => key.startsWith(prefix)),
  );
  expect(stored.sort()).toEqual(completedFiles.sort());
  if (existsSync(stack.workDir)) {
    for (const workerFolder of readdirSync(stack.workDir)) {
      if (!inFlight) expect(readdirSync(join(stack.workDir, workerFolder)), workerFolder).toEqual([]);
    }
  }
}
