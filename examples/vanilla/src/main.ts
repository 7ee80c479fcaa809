// A small "video editor" host app: pick or upload a video, select segments on the timeline, export them with
// <export-modal>, follow them with <export-progress>, and see every export and the settings.
import { createClient, type ExportSegmentInput, type Video, type VexportClient } from '@vexport/sdk';
import '@vexport/widget';
import type { ExportModal, VexportProvider } from '@vexport/widget';
import { renderStatus } from './status.js';

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
const selectionLabel = $<HTMLSpanElement>('#selection');

let client: VexportClient;
let current: Video | undefined;
let segments: ExportSegmentInput[] = [];
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

function renderSegments(): void {
  segmentsList.replaceChildren(
    ...segments.map((segment, index) => {
      const item = document.createElement('li');
      item.textContent = `${segment.label} — ${time(segment.start_time)} to ${time(segment.end_time)}`;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${segment.label}`);
      remove.addEventListener('click', () => {
        segments = segments.filter((_segment, position) => position !== index);
        renderSegments();
      });
      item.append(remove);
      return item;
    }),
  );
  const duration = current?.duration_seconds ?? 0;
  timeline.replaceChildren(
    ...segments.map((segment) => {
      const bar = document.createElement('span');
      bar.style.left = `${(segment.start_time / duration) * 100}%`;
      bar.style.width = `${((segment.end_time - segment.start_time) / duration) * 100}%`;
      return bar;
    }),
  );
  $<HTMLButtonElement>('#export').disabled = !current;
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
  quick.addEventListener('click', () =>
    openModal(video, [{ start_time: 0, end_time: video.duration_seconds ?? 0, label: 'Whole video' }]),
  );
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
    segments = [...segments, { start_time: markIn, end_time: markOut, label: `Clip ${segments.length + 1}` }];
    markIn = markOut = undefined;
    renderSelection();
    renderSegments();
  });
  $<HTMLButtonElement>('#export').addEventListener('click', () => {
    if (!current) return;
    const chosen =
      segments.length > 0
        ? segments
        : [{ start_time: 0, end_time: current.duration_seconds ?? 0, label: 'Whole video' }];
    openModal(current, chosen);
  });
  document.addEventListener('export-created', (event) => follow(event.detail.export.id));
  document.addEventListener('export-create-request', () => {
    showTab('editor');
    if (current)
      openModal(
        current,
        segments.length > 0 ? segments : [{ start_time: 0, end_time: current.duration_seconds ?? 0 }],
      );
  });
  renderSegments();
  await renderLibrary();
}

void main().catch((error: Error) => {
  $<HTMLParagraphElement>('#player-hint').textContent = error.message;
});
