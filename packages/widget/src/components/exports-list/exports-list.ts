import { consume } from '@lit/context';
import {
  EXPORT_STATUSES,
  EXPORT_TYPES,
  isTerminalExportStatus,
  type Export,
  type ExportList,
  type ExportListQuery,
  type ExportStatus,
  type ExportType,
  type VexportClient,
  VexportError,
} from '@vexport/sdk';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { defineElement } from '../../internal/define.js';
import { clientContext } from '../../context/client-context.js';
import { emit } from '../../events/export-events.js';
import { defaultStrings, type Strings } from '../../i18n/strings.js';
import { describeError, type DescribedError } from '../../internal/describe-error.js';
import { formatBytes, formatDuration } from '../../internal/format.js';
import { exportsListStyles } from './exports-list.styles.js';

const SORTS = [
  'created_at:desc',
  'created_at:asc',
  'status:asc',
  'file_size_bytes:desc',
  'file_size_bytes:asc',
] as const;
type SortChoice = (typeof SORTS)[number];

/**
 * @summary The user's exports (of one video, or all): date, type, options, size, a colour-coded status with
 * progress while running; download, cancel or delete (confirmed) and details; sorting, filters and pages.
 *
 * @event export-create-request - The empty state's button was pressed: the host should open `<export-modal>`.
 *
 * @csspart table - The table.
 * @csspart badge - Each status badge.
 * @csspart pager - The page buttons.
 * @csspart empty - The empty state.
 * @csspart error - Why the list could not be loaded; `data-code` holds the error's stable code.
 *
 * @tagname exports-list
 */
export class ExportsList extends LitElement {
  static override styles = exportsListStyles;

  /** Only this video's exports; all of the user's when empty. */
  @property({ attribute: 'video-id' }) videoId = '';

  /** Rows per page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 10;

  /** Milliseconds between refreshes while an export on the page is running. */
  @property({ type: Number, attribute: 'poll-interval' }) pollInterval = 2000;

  @property({ attribute: false }) strings: Partial<Strings> = {};

  @property({ attribute: false }) client?: VexportClient;

  @consume({ context: clientContext, subscribe: true })
  @state()
  protected contextClient?: VexportClient;

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

  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #request = 0;
  #onExportEvent = () => void this.refresh();

  protected get text(): Strings {
    return { ...defaultStrings, ...this.strings };
  }

  protected get api(): VexportClient | undefined {
    return this.client ?? this.contextClient;
  }

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
      if (list.exports.some((record) => !isTerminalExportStatus(record.status))) {
        this.#refreshTimer = setTimeout(() => void this.refresh(), this.pollInterval);
      }
    } catch (error) {
      if (request === this.#request) this.failure = describeError(error, this.text, this.text.loadListFailed);
    } finally {
      if (request === this.#request) this.loading = false;
    }
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

  #row(record: Export) {
    const text = this.text;
    const running = !isTerminalExportStatus(record.status);
    const created = new Date(record.created_at);
    return html`
      <tr>
        <td><time datetime=${record.created_at}>${created.toLocaleString()}</time></td>
        <td>${text.types[record.export_type]}</td>
        <td>${record.resolution}</td>
        <td>${text.formats[record.format]}</td>
        <td>${text.qualities[record.quality_preset]}</td>
        <td>${record.file_size_bytes === null ? '—' : formatBytes(record.file_size_bytes)}</td>
        <td>
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
        <td>
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
            ${
              this.confirmingDelete === record.id
                ? html`<button
                      class="danger"
                      @click=${() => void (running ? this.#cancel(record) : this.#delete(record))}
                    >
                      ${running ? text.confirmYes : text.delete}
                    </button>
                    <button @click=${() => (this.confirmingDelete = '')}>${text.confirmNo}</button>`
                : html`<button
                    aria-label=${`${running ? text.cancelExport : text.delete}: ${created.toLocaleString()}`}
                    @click=${() => (this.confirmingDelete = record.id)}
                  >
                    ${running ? text.cancelExport : text.delete}
                  </button>`
            }
          </div>
        </td>
      </tr>
      ${
        this.expanded.has(record.id)
          ? html`<tr class="details">
              <td colspan="8">
                ${text.segmentsCount(record.segment_selections.length)}:
                ${record.segment_selections
                  .map(
                    (segment) => `${formatDuration(segment.start_time)}–${formatDuration(segment.end_time)}`,
                  )
                  .join(', ')}
                · ${text.totalDuration} ${formatDuration(record.total_duration)}
                ${record.error_message ? html`<div class="error">${record.error_message}</div>` : nothing}
              </td>
            </tr>`
          : nothing
      }
    `;
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

  protected override render() {
    const text = this.text;
    const list = this.list;
    const pages = list ? Math.max(1, Math.ceil(list.total / list.limit)) : 1;
    const header = html`<thead>
      <tr>
        ${Object.values(text.columns).map((title) => html`<th scope="col">${title}</th>`)}
      </tr>
    </thead>`;
    let body;
    if (this.loading || !list) {
      body = html`<tbody aria-busy="true">
        ${Array.from(
          { length: 3 },
          () =>
            html`<tr class="skeleton">
              ${Array.from({ length: 8 }, () => html`<td></td>`)}
            </tr>`,
        )}
      </tbody>`;
    } else {
      body = html`<tbody>
        ${list.exports.map((record) => this.#row(record))}
      </tbody>`;
    }
    const empty = list && list.total === 0 && !this.statusFilter && !this.typeFilter;
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
        empty
          ? html`<div part="empty" class="empty">
              <p>${text.emptyList}</p>
              <button class="primary" @click=${() => emit(this, 'export-create-request', {})}>
                ${text.createExport}
              </button>
            </div>`
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
