// A small "video editor" host app: pick or upload a video, choose clips on <vexport-timeline>, export them
// with <export-modal>, follow them with <export-progress> toasts, and see every export and the settings.
import { createClient, type ExportSegmentInput, type Video, type VexportClient } from '@vexport/sdk';
import '@vexport/widget';
import type { ExportModal, VexportProvider, VexportTimeline } from '@vexport/widget';
import { exportSegments, time, withIds, type Clip } from './clips.js';
import { quickExportRequest } from './quick-export.js';
import { renderStatus } from './status.js';
import { posterOf, showExportToast } from './toasts.js';

interface DemoConfig {
  apiBase: string;
  token: string;
}

const $ = <T extends Element>(selector: string) => document.querySelector<T>(selector)!;

const provider = $<VexportProvider>('#provider');
const modal = $<ExportModal>('#modal');
const player = $<HTMLVideoElement>('#player');
const timeline = $<VexportTimeline>('#timeline');
const segmentsList = $<HTMLOListElement>('#segments');
const clipsSummary = $<HTMLParagraphElement>('#clips-summary');

let client: VexportClient;
let current: Video | undefined;
let clips: Clip[] = [];
/** Ids of the clips the person unticked: everything else on the timeline is exported. */
const unticked = new Set<string>();
/** The video each export was started for, so that its toast can name it. */
let exporting: Video | undefined;
/** The video just uploaded, opened in the editor as soon as it has been analysed. */
let uploadedId: string | undefined;

/** The demo's stand-in for a host app's backend hands out a development token (only under `npm start`). */
async function loadConfig(): Promise<DemoConfig> {
  const response = await fetch('/demo-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error('no demo configuration: run the demo with `npm start`');
  return (await response.json()) as DemoConfig;
}

function showTab(name: string): void {
  for (const section of document.querySelectorAll<HTMLElement>('.tab')) section.hidden = section.id !== name;
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) {
    if (button.dataset.tab === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  if (name === 'status') void renderStatus();
}

function clipItem(clip: Clip): HTMLLIElement {
  const item = document.createElement('li');
  const label = document.createElement('label');
  const tick = document.createElement('input');
  tick.type = 'checkbox';
  tick.checked = !unticked.has(clip.clip_id);
  tick.addEventListener('change', () => {
    if (tick.checked) unticked.delete(clip.clip_id);
    else unticked.add(clip.clip_id);
    renderClips();
  });
  label.append(tick, ` ${clip.label ?? 'Clip'} — ${time(clip.start_time)} to ${time(clip.end_time)}`);
  item.append(label);
  return item;
}

function renderClips(): void {
  segmentsList.replaceChildren(...clips.map(clipItem));
  const ticked = clips.filter((clip) => !unticked.has(clip.clip_id)).length;
  clipsSummary.textContent = !current
    ? 'Upload a video, or press Edit on one in the list, to mark clips and export it.'
    : clips.length === 0
      ? 'No clips yet: mark them on the timeline. Export… without clips exports the whole video.'
      : ticked === 0
        ? 'No clip ticked: Export… exports the whole video.'
        : `${ticked} of ${clips.length} clips ticked for export.`;
  $<HTMLButtonElement>('#export').disabled = !current;
}

function wholeVideo(video: Video): ExportSegmentInput[] {
  return [{ start_time: 0, end_time: video.duration_seconds ?? 0, label: 'Whole video' }];
}

async function selectVideo(video: Video): Promise<void> {
  current = video;
  clips = [];
  unticked.clear();
  timeline.segments = [];
  timeline.duration = video.duration_seconds ?? 0;
  timeline.frameRate = video.fps || 30;
  timeline.currentTime = 0;
  renderClips();
  markCurrentCard();
  $<HTMLParagraphElement>('#player-hint').textContent =
    `${video.title} · ${time(video.duration_seconds ?? 0)} · ${video.width}×${video.height}`;
  player.src = (await client.getVideoSourceUrl(video.id)).url;
}

/** Marks the card of the video open in the editor. */
function markCurrentCard(): void {
  for (const card of document.querySelectorAll('.video-card'))
    card.setAttribute('aria-current', String(card.getAttribute('data-id') === current?.id));
}

function openModal(video: Video, chosen: ExportSegmentInput[]): void {
  exporting = video;
  modal.videoId = video.id;
  modal.segments = chosen;
  modal.open = true;
}

/** Quick export: the whole video as one file from the saved defaults, started at once, with its toast. */
async function quickExport(video: Video, button: HTMLButtonElement): Promise<void> {
  const status = $<HTMLParagraphElement>('#upload-status');
  button.disabled = true;
  try {
    const created = await client.createExport(
      video.id,
      quickExportRequest(video, await client.getSettings()),
    );
    exporting = video;
    follow(created.id);
  } catch (error) {
    status.textContent = `Quick export of ${video.title} failed: ${(error as Error).message}`;
  } finally {
    button.disabled = false;
  }
}

/** Export… in the editor: the ticked clips, or the whole video when none is ticked. */
function exportFromEditor(): void {
  if (!current) return;
  const chosen = exportSegments(clips, unticked);
  openModal(current, chosen.length > 0 ? chosen : wholeVideo(current));
}

function videoCard(video: Video): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'video-card';
  item.dataset.id = video.id;
  const title = document.createElement('strong');
  title.className = 'title';
  title.textContent = video.title;
  // a long name is cut with an ellipsis on one line; the whole name is the tooltip
  title.title = video.title;
  const facts = document.createElement('span');
  facts.className = 'muted';
  facts.textContent =
    video.status === 'completed'
      ? `${time(video.duration_seconds ?? 0)} · ${video.width}×${video.height}`
      : video.status === 'failed'
        ? `Failed: ${video.error_message}`
        : 'Analysing…';
  const actions = document.createElement('div');
  actions.className = 'actions';
  const open = document.createElement('button');
  open.type = 'button';
  open.textContent = 'Edit';
  open.disabled = video.status !== 'completed';
  open.addEventListener('click', () => void selectVideo(video));
  const quick = document.createElement('button');
  quick.type = 'button';
  quick.textContent = 'Quick export';
  quick.disabled = video.status !== 'completed';
  quick.addEventListener('click', () => void quickExport(video, quick));
  actions.append(open, quick);
  item.append(title, facts, actions);
  return item;
}

async function renderLibrary(): Promise<void> {
  const { videos } = await client.listVideos({ limit: 50 });
  $<HTMLUListElement>('#videos').replaceChildren(...videos.map(videoCard));
  const uploaded = videos.find((video) => video.id === uploadedId);
  if (uploaded && uploaded.status !== 'pending' && uploaded.status !== 'processing') {
    uploadedId = undefined;
    if (uploaded.status === 'completed') await selectVideo(uploaded);
  } else if (current) {
    markCurrentCard();
  }
  if (videos.some((video) => video.status === 'pending' || video.status === 'processing'))
    setTimeout(() => void renderLibrary(), 1000);
}

function follow(exportId: string): void {
  const video = exporting ?? current;
  showExportToast($<HTMLElement>('#progress-stack'), {
    exportId,
    videoName: video?.title ?? '',
    poster: video && video.id === current?.id ? posterOf(player) : '',
  });
}

async function upload(file: File): Promise<void> {
  const status = $<HTMLParagraphElement>('#upload-status');
  status.textContent = `Uploading ${file.name}…`;
  try {
    const video = await client.registerVideo({ file, title: file.name.replace(/\.[^.]+$/, '') });
    uploadedId = video.id;
    status.textContent = `Uploaded ${file.name}.`;
    await renderLibrary();
  } catch (error) {
    status.textContent = `Upload failed: ${(error as Error).message}`;
  }
}

async function main(): Promise<void> {
  const config = await loadConfig();
  client = createClient({ baseUrl: config.apiBase || location.origin, token: config.token });
  provider.client = client;

  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) {
    button.addEventListener('click', () => showTab(button.dataset.tab!));
  }
  $<HTMLButtonElement>('#refresh').addEventListener('click', () => void renderStatus());
  $<HTMLInputElement>('#upload').addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void upload(file);
  });
  timeline.video = player;
  timeline.addEventListener('segments-change', (event) => {
    clips = withIds(event.detail.segments);
    timeline.segments = clips;
    renderClips();
  });
  $<HTMLButtonElement>('#export').addEventListener('click', exportFromEditor);
  document.addEventListener('export-created', (event) => {
    // a retry inside a toast is followed by that toast already
    if ((event.target as Element).localName !== 'export-progress') follow(event.detail.export.id);
  });
  document.addEventListener('export-create-request', () => {
    showTab('editor');
    exportFromEditor();
  });
  renderClips();
  await renderLibrary();
}

void main().catch((error: Error) => {
  $<HTMLParagraphElement>('#player-hint').textContent = error.message;
});
