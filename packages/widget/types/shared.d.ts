// What the React, Vue and Svelte typings share: the generated description of every element
// (dist/framework/elements.d.ts, from custom-elements.json) and the event types the widget declares.
import type { VexportElements } from '../dist/framework/elements.js';
import type { VexportEventMap } from '../dist/types/index.js';

export type { VexportElements };

/** The tag of a vexport element. */
export type VexportTag = keyof VexportElements;

/** The class of the element with this tag. */
export type VexportElement<Tag extends VexportTag> = VexportElements[Tag]['element'];

/** The properties a host may set on the element, each with its own type. */
export type VexportProperties<Tag extends VexportTag> = Partial<
  Pick<VexportElement<Tag>, VexportElements[Tag]['properties'] & keyof VexportElement<Tag>>
>;

/** The kebab-case attributes of the element whose names differ from their properties' (`video-id`). */
export type VexportAttributes<Tag extends VexportTag> = VexportElements[Tag]['attributes'];

/** The events the element fires, by name, with their `CustomEvent` types. */
export type VexportEvents<Tag extends VexportTag> = {
  [Name in VexportElements[Tag]['events'] & keyof VexportEventMap]: VexportEventMap[Name];
};

/**
 * Listener props named `on` followed by the event's name exactly as it is fired (`onexport-created`): React 19
 * and Svelte 5 add a listener for the event named by what follows `on`, case and dashes included, so
 * `onExportCreated` would listen for an `ExportCreated` event that never comes.
 */
export type VexportEventProps<Tag extends VexportTag> = {
  [Name in keyof VexportEvents<Tag> & string as `on${Name}`]?: (event: VexportEvents<Tag>[Name]) => void;
};
