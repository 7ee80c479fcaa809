// `import type {} from '@vexport/widget/svelte'` once in a Svelte 5 app: svelte-check then checks the
// attributes, properties and `on<event-name>` handlers of every vexport element. Svelte 5 sets a property
// when the element has one by that name and adds a listener for the event named after `on`, as written.
import type { HTMLAttributes } from 'svelte/elements';
import type {
  VexportAttributes,
  VexportElement,
  VexportEventProps,
  VexportProperties,
  VexportTag,
} from './shared.js';

export type { VexportTag };

/** The attributes of a vexport element in a Svelte 5 template. */
export type VexportSvelteAttributes<Tag extends VexportTag> = HTMLAttributes<VexportElement<Tag>> &
  VexportProperties<Tag> &
  VexportAttributes<Tag> &
  VexportEventProps<Tag>;

type VexportSvelteElements = { [Tag in VexportTag]: VexportSvelteAttributes<Tag> };

declare module 'svelte/elements' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface SvelteHTMLElements extends VexportSvelteElements {}
}
