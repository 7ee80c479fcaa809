import {
  EXPORT_STATUSES,
  EXPORT_TYPES,
  exportFileName,
  isTerminalExportStatus,
  type Export,
  type ExportList,
  type ExportListQuery,
  type ExportStatus,
  type ExportType,
  type VexportClient,
  VexportError,
} from '@vexport/sdk';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { defineElement } from '../../internal/define.js';
import { VexportElement } from '../../internal/vexport-element.js';
import { emit } from '../../events/export-events.js';
import { describeError, type DescribedError } from '../../internal/describe-error.js';
import { formatBytes, formatFraming, formatLoudness, formatResolution } from '../../internal/format.js';
import { formatLength, formatTimecode } from '../../internal/format-time.js';
import { exportsListStyles } from './exports-list.styles.js';

const SORTS = [
  'created_at:desc',
  'created_at:asc',
  'status:asc',
  'file_size_bytes:desc',
  'file_size_bytes:asc',
] as const;
type SortChoice = (typeof SORTS)[number];

/** Cells in a row: video, date, type, resolution, format, quality, framing, loudness, size, status, actions. */
const COLUMN_COUNT = 11;

/** "12/6/26, 10:57 AM": short enough for the table's Date column to stay on one line; the title has the rest. */
const SHORT_DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/**
 * @summary The user's exports (of one video, or all): the video's name, date, type, options, size, a
 * colour-coded status with progress while running; download, cancel or delete (after a question that says
 * what will happen) and details; sorting, filters and pages. Below 720 px of width each export is a card.
 *
 * @event export-create-request - The empty state's button was pressed: the host should open `<export-modal>`.
 *
 * @csspart table - The table.
 * @csspart badge - Each status badge.
 * @csspart pager - The page buttons.
 * @csspart empty - The empty state (no exports yet, or none that match the filters).
 * @csspart confirm - The question before an export is deleted or stopped.
 * @csspart error - Why the list could not be loaded; `data-code` holds the error's stable code.
 *
 * @tagname exports-list
 */
export class ExportsList extends VexportElement {
  static override styles = exportsListStyles;

  /** Only this video's exports; all of the user's when empty. */
  @property({ attribute: 'video-id' }) videoId = '';

  /** Rows per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 10;

  /** Milliseconds between refreshes while an export on the page is running. */
  @property({ type: Number, attribute: 'poll-interval' }) pollInterval = 2000;

  /**
   * Names of videos by id, for a host that knows them; the list asks the API for the title of every other
   * video it shows, once.
   */
  @property({ attribute: false }) videoNames: Record<string, string> = {};

  @state() protected list: ExportList | undefined;
  @state() protected loading = false;
  /** Why the list could not be loaded; undefined while it can. */
  @state() protected failure: DescribedError | undefined;
  @state() protected page = 1;
  @state() protected sort: SortChoice = 'created_at:desc';
  @state() protected statusFilter: ExportStatus | '' = '';
  @state() protected typeFilter: ExportType | '' = '';
  @state() protected expanded = new Set<string>();
  @state() protected confirmingDelete = '';
  /** Titles of the videos' records, by id, as the API answered them. */
  @state() protected videoTitles = new Map<string, string>();

  #titlesAsked = new Set<string>();

  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #request = 0;
  #onExportEvent = () => void this.refresh();

  override connectedCallback(): void {
    super.connectedCallback();
    for (const name of ['export-created', 'export-completed', 'export-failed', 'export-cancelled']) {
      document.addEventListener(name, this.#onExportEvent);
    }
    if (this.hasUpdated) void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const name of ['export-created', 'export-completed', 'export-failed', 'export-cancelled']) {
      document.removeEventListener(name, this.#onExportEvent);
    }
    clearTimeout(this.#refreshTimer);
  }

  protected override updated(changed: PropertyValues): void {
    const inputs = [
      'videoId',
      'pageSize',
      'client',
      'contextClient',
      'page',
      'sort',
      'statusFilter',
      'typeFilter',
    ];
    if (inputs.some((name) => changed.has(name))) void this.refresh();
    if (changed.has('confirmingDelete') && this.confirmingDelete) {
      // the safe answer takes the focus, so a stray Enter keeps the export
      this.renderRoot.querySelector<HTMLButtonElement>('[part="confirm"] button:not(.danger)')?.focus();
    }
  }

  /** Loads the current page again (also done by itself while exports run and when one ends). */
  async refresh(): Promise<void> {
    const api = this.api;
    clearTimeout(this.#refreshTimer);
    if (!api || !this.isConnected) return;
    const request = ++this.#request;
    const [sort, order] = this.sort.split(':') as [ExportListQuery['sort'], ExportListQuery['order']];
    const query = {
      page: this.page,
      limit: this.pageSize,
      sort,
      order,
      status: this.statusFilter || undefined,
      export_type: this.typeFilter || undefined,
    };
    this.loading = this.list === undefined;
    try {
      const list = this.videoId
        ? await api.listVideoExports(this.videoId, query)
        : await api.listExports(query);
      if (request !== this.#request) return;
      this.list = list;
      this.failure = undefined;
      this.#askTitles(api, list.exports);
      if (list.exports.some((record) => !isTerminalExportStatus(record.status))) {
        this.#refreshTimer = setTimeout(() => void this.refresh(), this.pollInterval);
      }
    } catch (error) {
      if (request === this.#request) this.failure = describeError(error, this.text, this.text.loadListFailed);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  /** Asks once for the title of each video on the page whose name the host did not give. */
  #askTitles(api: VexportClient, records: readonly Export[]): void {
    for (const videoId of new Set(records.map((record) => record.video_id))) {
      if (this.videoNames[videoId] || this.#titlesAsked.has(videoId)) continue;
      this.#titlesAsked.add(videoId);
      api.getVideo(videoId).then(
        (video) => (this.videoTitles = new Map(this.videoTitles).set(videoId, video.title)),
        // the row shows "Untitled video"; asking again on every refresh would not change that
        () => undefined,
      );
    }
  }

  /** The video's name as the host gave it or its record says; '' while unknown. */
  #videoName(record: Export): string {
    return this.videoNames[record.video_id] || this.videoTitles.get(record.video_id) || '';
  }

  /** The file name the export downloads as, which names it in questions. */
  #exportName(record: Export): string {
    return exportFileName(this.#videoName(record), record);
  }

  async #download(record: Export): Promise<void> {
    await this.api!.downloadExport(record.id);
  }

  /** Stops a running export; it is never deleted, not even when it finished before the request arrived. */
  async #cancel(record: Export): Promise<void> {
    this.confirmingDelete = '';
    await this.api!.cancelExport(record.id).catch((error: unknown) => {
      // it finished meanwhile: the refresh below shows how, and its file is kept
      if (!(error instanceof VexportError && error.code === 'export_not_cancellable')) throw error;
    });
    await this.refresh();
  }

  async #delete(record: Export): Promise<void> {
    this.confirmingDelete = '';
    await this.api!.deleteExport(record.id);
    if (this.list?.exports.length === 1 && this.page > 1) this.page -= 1;
    else await this.refresh();
  }

  #toggleDetails(id: string): void {
    const expanded = new Set(this.expanded);
    if (expanded.has(id)) expanded.delete(id);
    else expanded.add(id);
    this.expanded = expanded;
  }

  #confirmation(record: Export, running: boolean) {
    const text = this.text;
    const name = this.#exportName(record);
    // only a completed export has a file to lose; naming one for a cancelled or failed export invents it
    const question = running
      ? text.confirmStopExport(name)
      : record.status === 'completed'
        ? text.confirmDeleteExport(name)
        : text.confirmDeleteExportWithoutFile(this.#videoName(record) || text.untitledVideo);
    return html`<tr class="confirm-row">
      <td colspan=${COLUMN_COUNT}>
        <div part="confirm" class="confirm" role="group" aria-labelledby="question-${record.id}">
          <p id="question-${record.id}">${question}</p>
          <div class="buttons">
            <button
              class="danger"
              @click=${() => void (running ? this.#cancel(record) : this.#delete(record))}
            >
              ${running ? text.stopExportYes : text.deleteExportYes}
            </button>
            <button @click=${() => (this.confirmingDelete = '')}>
              ${running ? text.stopExportNo : text.deleteExportNo}
            </button>
          </div>
        </div>
      </td>
    </tr>`;
  }

  #row(record: Export) {
    const text = this.text;
    const columns = this.#columns();
    const running = !isTerminalExportStatus(record.status);
    const created = new Date(record.created_at);
    return html`
      <tr>
        <td data-label=${columns[0]} class="video">${this.#renderName(record)}</td>
        <td data-label=${columns[1]}>
          <time datetime=${record.created_at} title=${created.toLocaleString()}
            >${SHORT_DATE.format(created)}</time
          >
        </td>
        <td data-label=${columns[2]}>${text.types[record.export_type]}</td>
        <td data-label=${columns[3]}>${formatResolution(record.resolution)}</td>
        <td data-label=${columns[4]}>${text.formats[record.format]}</td>
        <td data-label=${columns[5]}>${text.qualities[record.quality_preset]}</td>
        <td data-label=${columns[6]}>${formatFraming(text, record)}</td>
        <td data-label=${columns[7]}>${formatLoudness(text, record.loudness_lufs)}</td>
        <td data-label=${columns[8]}>
          ${record.file_size_bytes === null ? '—' : formatBytes(record.file_size_bytes)}
        </td>
        <td data-label=${columns[9]}>
          <span part="badge" class="badge" data-status=${record.status}>${text.statuses[record.status]}</span>
          ${
            running
              ? html`<div
                  class="mini-bar"
                  role="progressbar"
                  aria-label=${text.progressLabel}
                  aria-valuenow=${record.progress_percentage}
                  aria-valuemin="0"
                  aria-valuemax="100"
                >
                  <div style="width: ${record.progress_percentage}%"></div>
                </div>`
              : nothing
          }
        </td>
        <td class="actions-cell">
          <div class="actions">
            ${
              record.status === 'completed'
                ? html`<button class="primary" @click=${() => void this.#download(record)}>
                    ${text.download}
                  </button>`
                : nothing
            }
            <button
              aria-expanded=${this.expanded.has(record.id)}
              @click=${() => this.#toggleDetails(record.id)}
            >
              ${this.expanded.has(record.id) ? text.hideDetails : text.details}
            </button>
            <button
              aria-label=${`${running ? text.cancelExport : text.delete}: ${created.toLocaleString()}`}
              aria-expanded=${this.confirmingDelete === record.id}
              @click=${() => (this.confirmingDelete = record.id)}
            >
              ${running ? text.cancelExport : text.delete}
            </button>
          </div>
        </td>
      </tr>
      ${this.confirmingDelete === record.id ? this.#confirmation(record, running) : nothing}
      ${
        this.expanded.has(record.id)
          ? html`<tr class="details">
              <td colspan=${COLUMN_COUNT}>
                ${text.segmentsCount(record.segment_selections.length)}:
                ${record.segment_selections
                  .map(
                    (segment) => `${formatTimecode(segment.start_time)}–${formatTimecode(segment.end_time)}`,
                  )
                  .join(', ')}
                · ${text.totalDuration} ${formatLength(record.total_duration)}
                ${record.error_message ? html`<div class="error">${record.error_message}</div>` : nothing}
              </td>
            </tr>`
          : nothing
      }
    `;
  }

  /**
   * The video's name on one line, cut with an ellipsis when the column is too narrow (never broken inside a
   * word); the whole name is its tooltip.
   */
  #renderName(record: Export) {
    const name = this.#videoName(record) || this.text.untitledVideo;
    return html`<span class="name" title=${name}>${name}</span>`;
  }

  /** The column titles, in the order of the cells. */
  #columns(): string[] {
    const { columns, videoColumn } = this.text;
    return [
      videoColumn,
      columns.date,
      columns.type,
      columns.resolution,
      columns.format,
      columns.quality,
      columns.framing,
      columns.loudness,
      columns.size,
      columns.status,
      columns.actions,
    ];
  }

  #clearFilters(): void {
    this.statusFilter = '';
    this.typeFilter = '';
    this.page = 1;
  }

  #toolbar() {
    const text = this.text;
    return html`
      <div class="toolbar">
        <label class="field">
          ${text.sortBy}
          <select
            @change=${(event: Event) => (this.sort = (event.target as HTMLSelectElement).value as SortChoice)}
          >
            ${SORTS.map((sort) => html`<option value=${sort} ?selected=${sort === this.sort}>${text.sortOptions[sort]}</option>`)}
          </select>
        </label>
        <label class="field">
          ${text.filterStatus}
          <select
            name="status"
            .value=${this.statusFilter}
            @change=${(event: Event) => {
              this.statusFilter = (event.target as HTMLSelectElement).value as ExportStatus | '';
              this.page = 1;
            }}
          >
            <option value="">${text.allStatuses}</option>
            ${EXPORT_STATUSES.map((status) => html`<option value=${status} ?selected=${status === this.statusFilter}>${text.statuses[status]}</option>`)}
          </select>
        </label>
        <label class="field">
          ${text.filterType}
          <select
            name="type"
            .value=${this.typeFilter}
            @change=${(event: Event) => {
              this.typeFilter = (event.target as HTMLSelectElement).value as ExportType | '';
              this.page = 1;
            }}
          >
            <option value="">${text.allTypes}</option>
            ${EXPORT_TYPES.map((type) => html`<option value=${type} ?selected=${type === this.typeFilter}>${text.types[type]}</option>`)}
          </select>
        </label>
      </div>
    `;
  }

  #emptyState() {
    const text = this.text;
    if (this.statusFilter || this.typeFilter) {
      return html`<div part="empty" class="empty" role="status">
        <p>${text.noMatchingExports}</p>
        <button @click=${() => this.#clearFilters()}>${text.clearFilters}</button>
      </div>`;
    }
    return html`<div part="empty" class="empty">
      <p>${text.emptyList}</p>
      <button class="primary" @click=${() => emit(this, 'export-create-request', {})}>
        ${text.createExport}
      </button>
    </div>`;
  }

  protected override render() {
    const text = this.text;
    const list = this.list;
    const pages = list ? Math.max(1, Math.ceil(list.total / list.limit)) : 1;
    const header = html`<thead>
      <tr>
        ${this.#columns().map((title) => html`<th scope="col">${title}</th>`)}
      </tr>
    </thead>`;
    let body;
    if (this.loading || !list) {
      body = html`<tbody aria-busy="true">
        ${Array.from(
          { length: 3 },
          () =>
            html`<tr class="skeleton">
              ${Array.from({ length: COLUMN_COUNT }, () => html`<td></td>`)}
            </tr>`,
        )}
      </tbody>`;
    } else {
      body = html`<tbody>
        ${list.exports.map((record) => this.#row(record))}
      </tbody>`;
    }
    return html`
      ${this.#toolbar()}
      ${
        this.failure
          ? html`<p part="error" class="error" role="alert" data-code=${this.failure.code}>
              ${this.failure.message}
            </p>`
          : nothing
      }
      ${
        list && list.total === 0
          ? this.#emptyState()
          : html`<table part="table" aria-label=${text.listTitle}>
              ${header}${body}
            </table>`
      }
      ${
        list && pages > 1
          ? html`<nav part="pager" class="pager" aria-label=${text.listTitle}>
              <button ?disabled=${this.page <= 1} @click=${() => (this.page -= 1)}>
                ${text.previousPage}
              </button>
              <span>${text.pageOf(this.page, pages)}</span>
              <button ?disabled=${this.page >= pages} @click=${() => (this.page += 1)}>
                ${text.nextPage}
              </button>
            </nav>`
          : nothing
      }
    `;
  }
}

defineElement('exports-list', ExportsList);

declare global {
  interface HTMLElementTagNameMap {
    'exports-list': ExportsList;
  }
}
