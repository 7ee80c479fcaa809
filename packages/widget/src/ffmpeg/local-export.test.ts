import { expect } from '@open-wc/testing';
import { testClient, testStack } from '../../test/test-stack.js';
import { FfmpegLoadError, setFfmpegBasePath, setFfmpegLoadTimeout } from '@vexport/widget-ffmpeg';
import { loadBrowserFfmpeg } from './browser-ffmpeg.js';
import { planLocalExport, planPreview, runInBrowser } from './local-export.js';

/** The duration the browser itself reads from a file: proof that it plays. */
async function playableDuration(blob: Blob): Promise<number> {
  const video = document.createElement('video');
  video.muted = true;
  video.src = URL.createObjectURL(blob);
  await new Promise((resolve, reject) => {
    video.onloadedmetadata = resolve;
    video.onerror = () => reject(new Error(`the browser cannot play this ${blob.type} file`));
  });
  URL.revokeObjectURL(video.src);
  return video.duration;
}

async function sampleSource(): Promise<Blob> {
  const { url } = await testClient().getVideoSourceUrl(testStack().videoId);
  return (await fetch(url)).blob();
}

describe('ffmpeg.wasm in the browser', () => {
  afterEach(() => {
    setFfmpegBasePath(undefined);
    setFfmpegLoadTimeout(30_000);
  });

  it('fails with a clear error, instead of waiting forever, when the cores are not where it looks', async () => {
    setFfmpegBasePath('/no-such-folder/ffmpeg/');
    setFfmpegLoadTimeout(3_000);
    const failure = await loadBrowserFfmpeg().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.instanceOf(FfmpegLoadError);
    expect((failure as Error).message).to.contain(
      `${location.origin}/no-such-folder/ffmpeg/st/ffmpeg-core.js`,
    );
  });

  it('plans a combined export as trims of one input, joined and scaled', () => {
    const { args, output } = planLocalExport({
      segments: [
        { start_time: 1, end_time: 2.5 },
        { start_time: 4, end_time: 5 },
      ],
      resolution: '720p',
      quality: 'medium',
      format: 'webm',
      hasAudio: true,
    });
    expect(output).to.equal('output.webm');
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).to.contain('[0:v:0]trim=start=1.000:end=2.500,setpts=PTS-STARTPTS[v0]');
    expect(graph).to.contain('concat=n=2:v=1:a=1[vj][aout]');
    expect(args).to.include('libvpx-vp9');
  });

  it('gives an 854×480 source exactly 1280×720 at 720p, as the service’s exports do', () => {
    const { args } = planLocalExport({
      segments: [{ start_time: 0, end_time: 1 }],
      resolution: '720p',
      quality: 'medium',
      format: 'mp4',
      hasAudio: false,
      source: { width: 854, height: 480, sampleAspectRatio: 1, rotation: 0 },
    });
    expect(args[args.indexOf('-filter_complex') + 1]).to.contain('[vj]scale=1280:720,setsar=1');
  });

  it('makes a low-resolution preview of a segment that the browser plays', async () => {
    const ffmpeg = await loadBrowserFfmpeg();
    const preview = await runInBrowser(
      ffmpeg,
      await sampleSource(),
      planPreview({ start_time: 1, end_time: 3 }),
    );
    expect(preview.type).to.equal('video/mp4');
    expect(await playableDuration(preview)).to.be.closeTo(2, 0.2);
  });

  it('exports two segments joined into one playable file, reporting progress', async () => {
    const ffmpeg = await loadBrowserFfmpeg();
    const seen: number[] = [];
    const plan = planLocalExport({
      segments: [
        { start_time: 0, end_time: 1 },
        { start_time: 3, end_time: 4.5 },
      ],
      resolution: '720p',
      quality: 'low',
      format: 'mp4',
      hasAudio: true,
    });
    const result = await runInBrowser(ffmpeg, await sampleSource(), plan, {
      onProgress: (fraction) => seen.push(fraction),
    });
    expect(await playableDuration(result)).to.be.closeTo(2.5, 0.2);
    expect(seen.length).to.be.greaterThan(0);
  });
});
