import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Export, ExportCreateRequest } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultyHttpProxy } from './support/faulty-http-proxy.js';
import { expectNothingLost, testS3Client } from './support/nothing-lost.js';
import { startStack, waitForFinished, type Stack } from './support/stack.js';

const USER = 'chaos-s3-user';
const request: ExportCreateRequest = {
  export_type: 'single',
  resolution: '720p',
  format: 'mp4',
  quality_preset: 'low',
  segment_selections: [{ start_time: 1, end_time: 3 }],
};

/** The API and the worker store to the S3-compatible test server through a proxy that injects faults. */
describe('the object store failing or slow', () => {
  let proxy: FaultyHttpProxy;
  let stack: Stack;
  const s3 = testS3Client();

  beforeAll(async () => {
    proxy = await FaultyHttpProxy.start(process.env.S3_ENDPOINT!);
    stack = await startStack({
      user: USER,
      env: {
        S3_BUCKET: process.env.S3_BUCKET!,
        S3_REGION: process.env.S3_REGION!,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ENDPOINT: proxy.url,
        AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID!,
        AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY!,
        UPLOAD_ATTEMPTS: '3',
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  /** Writes of finished exports (a PUT, or a multipart upload's POST/PUT), not the source reads. */
  const isExportWrite = (method = '', url = '') =>
    (method === 'PUT' || method === 'POST') && url.includes('/exports/');

  /** The stored objects of one export (under exports/{user id}/{export id}/). */
  async function storedFiles(exported: Export): Promise<string[]> {
    const prefix = `exports/${exported.user_id}/${exported.id}/`;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: process.env.S3_BUCKET, Prefix: prefix }));
    return (listed.Contents ?? []).map((object) => object.Key!);
  }

  it('retries failed uploads with backoff, through a slow store, and completes', async () => {
    let toFail = 2;
    proxy.failed = 0;
    proxy.delayMs = 150;
    proxy.decide = (incoming) =>
      isExportWrite(incoming.method, incoming.url) && toFail-- > 0 ? 'fail' : 'pass';
    const created = await stack.client.createExport(stack.video.id, request);
    const result = await waitForFinished(stack, created.id);
    expect(result.status).toBe('completed');
    expect(proxy.failed).toBe(2);
    expect(await storedFiles(result)).toEqual([result.output_s3_key]);
  });

  it('fails the export with a message once every retry failed, leaving nothing stored', async () => {
    proxy.failed = 0;
    proxy.delayMs = 0;
    proxy.decide = (incoming) => (isExportWrite(incoming.method, incoming.url) ? 'fail' : 'pass');
    const created = await stack.client.createExport(stack.video.id, request);
    const result = await waitForFinished(stack, created.id);
    expect(result).toMatchObject({
      status: 'failed',
      output_url: null,
      error_message: 'The finished file could not be saved to storage (3 tries). Try again later.',
    });
    // our three tries, each with the S3 client's own retries
    expect(proxy.failed).toBeGreaterThanOrEqual(3);
    expect(await storedFiles(result)).toEqual([]);
    const download = await fetch(`${stack.urls.api}/api/exports/${created.id}/download`, {
      headers: { authorization: `Bearer ${stack.token}` },
    });
    expect(download.status).toBe(409);
  });

  it('loses nothing: every export finished, exactly its files stored, no temp left', async () => {
    await expectNothingLost(stack);
  });
});
