import { consume } from '@lit/context';
import type { VexportClient } from '@vexport/sdk';
import { LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { clientContext } from '../context/client-context.js';
import { defaultStrings, type Strings } from '../i18n/strings.js';

/**
 * What every vexport element that talks to the API shares: its texts (the English defaults with the host's
 * overrides) and its client (its own, or the one a surrounding `<vexport-provider>` gives).
 */
export class VexportElement extends LitElement {
  /** Overrides of the English texts. */
  @property({ attribute: false }) strings: Partial<Strings> = {};

  /** An API client; by default the one a surrounding `<vexport-provider>` gives. */
  @property({ attribute: false }) client?: VexportClient;

  @consume({ context: clientContext, subscribe: true })
  @state()
  protected contextClient?: VexportClient;

  /** The texts the element shows: the English defaults with {@link strings} over them. */
  protected get text(): Strings {
    return { ...defaultStrings, ...this.strings };
  }

  /** The client the element uses: {@link client}, else the provider's. */
  protected get api(): VexportClient | undefined {
    return this.client ?? this.contextClient;
  }
}
