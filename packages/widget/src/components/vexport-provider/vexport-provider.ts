import { provide } from '@lit/context';
import { createClient, type TokenProvider, type VexportClient } from '@vexport/sdk';
import { LitElement, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { defineElement } from '../../internal/define.js';
import { clientContext } from '../../context/client-context.js';
import { configureFfmpegBasePath } from '../../ffmpeg/browser-ffmpeg.js';
import { providerStyles } from './vexport-provider.styles.js';

/**
 * @summary Shares one API client with every vexport element inside it.
 *
 * @slot - The host app's content, including vexport elements.
 *
 * Give it `api-base` and a `getToken` function (the host backend's token for the current user), or a
 * ready `client`.
 *
 * @tagname vexport-provider
 */
export class VexportProvider extends LitElement {
  static override styles = providerStyles;

  /** Origin (and optional path prefix) of the vexport API, e.g. `https://api.example.com`. */
  @property({ attribute: 'api-base' }) apiBase = '';

  /** Returns the bearer token for the current user; called before each request. */
  @property({ attribute: false }) getToken?: TokenProvider;

  /** A client built by the host app; takes precedence over `api-base` and `getToken`. */
  @property({ attribute: false }) client?: VexportClient;

  /**
   * Where the `@vexport/widget-ffmpeg` add-on's cores are served from (a folder holding its `st/` and `mt/`),
   * for hosts whose build does not emit them beside the add-on: e.g. `/vendor/ffmpeg/`.
   */
  @property({ attribute: 'ffmpeg-base-path' }) ffmpegBasePath?: string;

  @provide({ context: clientContext })
  @state()
  protected providedClient?: VexportClient;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('ffmpegBasePath')) configureFfmpegBasePath(this.ffmpegBasePath);
    if (changed.has('apiBase') || changed.has('getToken') || changed.has('client')) {
      this.providedClient = this.client ?? this.#buildClient();
    }
  }

  #buildClient(): VexportClient | undefined {
    if (!this.apiBase) return undefined;
    return createClient({ baseUrl: this.apiBase, getToken: this.getToken });
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

defineElement('vexport-provider', VexportProvider);

declare global {
  interface HTMLElementTagNameMap {
    'vexport-provider': VexportProvider;
  }
}
