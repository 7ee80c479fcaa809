// A small "video editor" host app: pick or upload a video, select segments on the timeline, export them with
// <export-modal>, follow them with <export-progress>, and see every export and the settings.
import { createClient, type ExportSegmentInput, type Video, type VexportClient } from '@vexport/sdk';
import '@vexport/widget';
import type { ExportModal, VexportProvider } from '@vexport/widget';
import { renderStatus } from './status.js';
import { attachTimeline } from './timeline.js';

interface DemoConfig {
  apiBase: string;
  token: string;
}

const $ = <T extends Element>(selector: string) => document.querySelector<T>(selector)!;

const provider = $<VexportProvider>('#provider');
const modal = $<ExportModal>('#modal');
const player = $<HTMLVideoElement>('#player');
const segmentsList = $<HTMLOListElement>('#segments');
const timeline = $<HTMLDivElement>('#timeline');
const timelineClips = $<HTMLDivElement>('#timeline-clips');
const playhead = $<HTMLSpanElement>('#playhead');
const selectionLabel = $<HTMLSpanElement>('#selection');
const clipsSummary = $<HTMLParagraphElement>('#clips-summary');

/** A segment on the timeline; ticked ones are what Export… exports. */
interface Clip extends ExportSegmentInput {
  label: string;
  ticked: boolean;
}

let client: VexportClient;
let current: Video | undefined;
let segments: Clip[] = [];
let clipsMade = 0;
let markIn: number | undefined;
let markOut: number | undefined;

const time = (seconds: number) => `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(1).padStart(4, '0')}`;

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

function clipItem(clip: Clip, index: number): HTMLLIElement {
  const item = document.createElement('li');
  const label = document.createElement('label');
  const tick = document.createElement('input');
  tick.type = 'checkbox';
  tick.checked = clip.ticked;
  tick.addEventListener('change', () => {
    segments = segments.map((other, position) =>
      position === index ? { ...other, ticked: tick.checked } : other,
    );
    renderSegments();
  });
  label.append(tick, ` ${clip.label} — ${time(clip.start_time)} to ${time(clip.end_time)}`);
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'Remove';
  remove.setAttribute('aria-label', `Remove ${clip.label}`);
  remove.addEventListener('click', () => {
    segments = segments.filter((_clip, position) => position !== index);
    renderSegments();
  });
  item.append(label, remove);
  return item;
}

/** The ticked clips as export segments, in timeline order. */
function tickedSegments(): ExportSegmentInput[] {
  return segments
    .filter((clip) => clip.ticked)
    .map(({ start_time, end_time, label }) => ({ start_time, end_time, label }))
    .sort((a, b) => a.start_time - b.start_time);
}

function renderSegments(): void {
  segmentsList.replaceChildren(...segments.map(clipItem));
  const duration = current?.duration_seconds ?? 0;
  timelineClips.replaceChildren(
    ...segments.map((clip) => {
      const bar = document.createElement('span');
      bar.className = clip.ticked ? 'ticked' : '';
      bar.style.left = `${(clip.start_time / duration) * 100}%`;
      bar.style.width = `${((clip.end_time - clip.start_time) / duration) * 100}%`;
      return bar;
    }),
  );
  const ticked = segments.filter((clip) => clip.ticked).length;
  clipsSummary.textContent =
    segments.length === 0
      ? 'No clips yet: drag on the timeline (or use Mark in / Mark out). Export… without clips exports the whole video.'
      : ticked === 0
        ? 'No clip ticked: Export… exports the whole video.'
        : `${ticked} of ${segments.length} clips ticked for export.`;
  $<HTMLButtonElement>('#export').disabled = !current;
}

function addClip(start: number, end: number): void {
  clipsMade += 1;
  segments = [...segments, { start_time: start, end_time: end, label: `Clip ${clipsMade}`, ticked: true }];
  renderSegments();
}

function wholeVideo(video: Video): ExportSegmentInput[] {
  return [{ start_time: 0, end_time: video.duration_seconds ?? 0, label: 'Whole video' }];
}

function renderSelection(): void {
  selectionLabel.textContent =
    markIn === undefined
      ? 'No selection'
      : `In ${time(markIn)}${markOut === undefined ? '' : ` · Out ${time(markOut)}`}`;
}

async function selectVideo(video: Video): Promise<void> {
  current = video;
  segments = [];
  clipsMade = 0;
  markIn = markOut = undefined;
  renderSelection();
  renderSegments();
  for (const card of document.querySelectorAll('.video-card'))
    card.setAttribute('aria-current', String(card.getAttribute('data-id') === video.id));
  $<HTMLParagraphElement>('#player-hint').textContent =
    `${video.title} · ${time(video.duration_seconds ?? 0)} · ${video.width}×${video.height}`;
  player.src = (await client.getVideoSourceUrl(video.id)).url;
}

function openModal(video: Video, chosen: ExportSegmentInput[]): void {
  modal.videoId = video.id;
  modal.segments = chosen;
  modal.open = true;
}

/** Export… in the editor: the ticked clips, or the whole video when none is ticked. */
function exportFromEditor(): void {
  if (!current) return;
  const chosen = tickedSegments();
  openModal(current, chosen.length > 0 ? chosen : wholeVideo(current));
}

function videoCard(video: Video): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'video-card';
  item.dataset.id = video.id;
  const title = document.createElement('strong');
  title.textContent = video.title;
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
  quick.addEventListener('click', () => openModal(video, wholeVideo(video)));
  actions.append(open, quick);
  item.append(title, facts, actions);
  return item;
}

async function renderLibrary(): Promise<void> {
  const { videos } = await client.listVideos({ limit: 50 });
  $<HTMLUListElement>('#videos').replaceChildren(...videos.map(videoCard));
  if (videos.some((video) => video.status === 'pending' || video.status === 'processing'))
    setTimeout(() => void renderLibrary(), 1000);
}

function follow(exportId: string): void {
  const progress = document.createElement('export-progress');
  progress.exportId = exportId;
  $<HTMLDivElement>('#progress-stack').prepend(progress);
}

async function main(): Promise<void> {
  const config = await loadConfig();
  client = createClient({ baseUrl: config.apiBase || location.origin, token: config.token });
  provider.client = client;

  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-tab]')) {
    button.addEventListener('click', () => showTab(button.dataset.tab!));
  }
  $<HTMLButtonElement>('#refresh').addEventListener('click', () => void renderStatus());
  $<HTMLInputElement>('#upload').addEventListener('change', async (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const status = $<HTMLParagraphElement>('#upload-status');
    status.textContent = `Uploading ${file.name}…`;
    try {
      await client.registerVideo({ file, title: file.name.replace(/\.[^.]+$/, '') });
      status.textContent = `Uploaded ${file.name}.`;
      await renderLibrary();
    } catch (error) {
      status.textContent = `Upload failed: ${(error as Error).message}`;
    }
  });
  $<HTMLButtonElement>('#mark-in').addEventListener('click', () => {
    markIn = player.currentTime;
    markOut = undefined;
    renderSelection();
  });
  $<HTMLButtonElement>('#mark-out').addEventListener('click', () => {
    markOut = player.currentTime;
    renderSelection();
  });
  $<HTMLButtonElement>('#add-segment').addEventListener('click', () => {
    if (markIn === undefined || markOut === undefined || markOut <= markIn) return;
    addClip(markIn, markOut);
    markIn = markOut = undefined;
    renderSelection();
  });
  attachTimeline(timeline, {
    duration: () => current?.duration_seconds ?? 0,
    onSelect: ({ start, end }) => addClip(start, end),
    onSeek: (seconds) => {
      player.currentTime = seconds;
    },
  });
  player.addEventListener('timeupdate', () => {
    const duration = current?.duration_seconds ?? 0;
    playhead.style.left = `${duration > 0 ? (player.currentTime / duration) * 100 : 0}%`;
  });
  $<HTMLButtonElement>('#export').addEventListener('click', exportFromEditor);
  document.addEventListener('export-created', (event) => follow(event.detail.export.id));
  document.addEventListener('export-create-request', () => {
    showTab('editor');
    exportFromEditor();
  });
  renderSegments();
  await renderLibrary();
}

void main().catch((error: Error) => {
  $<HTMLParagraphElement>('#player-hint').textContent = error.message;
});
