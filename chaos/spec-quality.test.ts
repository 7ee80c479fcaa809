import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitForFinished, type Stack } from './support/stack.js';

/**
 * The specification's `quality` reaches the encoder: the same cut made at `low` and at `high`, through the
 * API's literal names and a real worker, gives a smaller file at `low`. (The API once took `quality: 'low'`
 * with a 202 and encoded at the user's saved default.)
 */
describe('quality as the specification names it', () => {
  let stack: Stack;
  const dir = mkdtempSync(join(tmpdir(), 'vexport-spec-quality-'));

  beforeAll(async () => {
    stack = await startStack({ user: 'chaos-quality-user' });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function exportedBytes(quality: 'low' | 'high'): Promise<number> {
    const response = await fetch(`${stack.urls.api}/api/videos/${stack.video.id}/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
      // webm: a re-encode whatever the source, so the quality setting decides the size
      body: JSON.stringify({
        export_type: 'single',
        resolution: '720p',
        format: 'webm',
        quality,
        segments: [{ start_time: 0, end_time: 4 }],
      }),
    });
    expect(response.status).toBe(202);
    const created = (await response.json()) as { id: string; quality_preset: string };
    expect(created.quality_preset).toBe(quality);
    const finished = await waitForFinished(stack, created.id);
    expect(finished.status).toBe('completed');
    const path = join(dir, `${quality}.webm`);
    await stack.client.saveExport(created.id, path);
    return statSync(path).size;
  }

  it('makes a smaller file at low than at high', async () => {
    const low = await exportedBytes('low');
    const high = await exportedBytes('high');
    expect(low).toBeLessThan(high * 0.8);
  });
});
