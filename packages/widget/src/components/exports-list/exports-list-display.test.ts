import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { LOUDNESS_TARGETS } from '@vexport/sdk';
import { newUserClient } from '../../../test/test-stack.js';
import './exports-list.js';
import type { ExportsList } from './exports-list.js';

const LONG_NAME =
  'Family-holiday-in-the-mountains-summer-2026-final-cut-with-music-and-titles-version-three-approved';

const rows = (list: ExportsList) => [
  ...list.shadowRoot!.querySelectorAll<HTMLTableRowElement>(
    'tbody tr:not(.details):not(.skeleton):not(.confirm-row)',
  ),
];

/** The row's cells by their column title. */
function cellsByColumn(list: ExportsList, row: HTMLTableRowElement): Record<string, string> {
  return Object.fromEntries(
    [...row.querySelectorAll('td[data-label]')].map((cell) => [
      cell.getAttribute('data-label')!,
      cell.textContent!.trim(),
    ]),
  );
}

describe('<exports-list> shows every setting an export had', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('shows the framing and loudness of a framed, normalised export, and plain ones as such', async () => {
    const { client, videoId } = await newUserClient();
    await client.createExport(videoId, {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 0.5 }],
    });
    await client.createExport(videoId, {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      framing: '9:16',
      framing_fit: 'pad',
      loudness_lufs: LOUDNESS_TARGETS.social,
      segment_selections: [{ start_time: 0, end_time: 0.5 }],
    });
    const list = await fixture<ExportsList>(
      html`<exports-list video-id=${videoId} .client=${client}></exports-list>`,
    );
    await waitUntil(() => rows(list).length === 2, 'not loaded');
    const [framed, plain] = rows(list).map((row) => cellsByColumn(list, row));
    expect(framed!['Framing']).to.equal('Portrait 9:16 · Fit (bars)');
    expect(framed!['Loudness']).to.equal('Social −14 LUFS');
    expect(plain!['Framing']).to.equal('Original');
    expect(plain!['Loudness']).to.equal('Off');
  });

  it('gives a short clip’s times and length in tenths, as the timeline shows them', async () => {
    const { client, videoId } = await newUserClient();
    await client.createExport(videoId, {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0.15, end_time: 0.35 }],
    });
    const list = await fixture<ExportsList>(
      html`<exports-list video-id=${videoId} .client=${client}></exports-list>`,
    );
    await waitUntil(() => rows(list).length === 1, 'not loaded');
    [...rows(list)[0]!.querySelectorAll('button')]
      .find((button) => button.textContent?.trim() === 'Details')!
      .click();
    await list.updateComplete;
    const details = list.shadowRoot!.querySelector('tr.details')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(details).to.equal('1 segment: 0:00.2–0:00.4 · Total 0.2 s');
  });

  it('keeps a long video name on one line with an ellipsis and the whole name as its tooltip', async () => {
    await setViewport({ width: 1280, height: 800 });
    const { client, videoId } = await newUserClient();
    await client.createExport(videoId, {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 0.5 }],
    });
    const list = await fixture<ExportsList>(
      html`<exports-list
        video-id=${videoId}
        .videoNames=${{ [videoId]: LONG_NAME }}
        .client=${client}
      ></exports-list>`,
    );
    await waitUntil(() => rows(list).length === 1, 'not loaded');
    const name = rows(list)[0]!.querySelector<HTMLElement>('.video [title]')!;
    expect(name.title).to.equal(LONG_NAME);
    expect(name.textContent).to.equal(LONG_NAME);
    const lineHeight = parseFloat(getComputedStyle(name).lineHeight) || 24;
    expect(name.getBoundingClientRect().height, 'the name wraps').to.be.below(lineHeight * 1.5);
    expect(getComputedStyle(name).textOverflow).to.equal('ellipsis');
    expect(name.scrollWidth, 'the name is cut, not shown whole').to.be.above(name.clientWidth);
    expect(list.scrollWidth).to.be.at.most(list.clientWidth);
  });
});
