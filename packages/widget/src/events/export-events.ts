import type { Export } from '@vexport/sdk';

/** `detail` of `export-created`: the export the API accepted. */
export interface ExportCreatedDetail {
  export: Export;
}

/** `detail` of `export-completed`, `export-failed` and `export-cancelled`: the export as it ended. */
export interface ExportEndedDetail {
  export: Export;
}

/** The events vexport elements fire; all bubble and cross shadow roots (`composed`). */
export interface VexportEventMap {
  'export-created': CustomEvent<ExportCreatedDetail>;
  'export-completed': CustomEvent<ExportEndedDetail>;
  'export-failed': CustomEvent<ExportEndedDetail>;
  'export-cancelled': CustomEvent<ExportEndedDetail>;
  'export-modal-close': CustomEvent<Record<string, never>>;
}

/** Fires a vexport event from `target`, bubbling and composed. */
export function emit<Name extends keyof VexportEventMap>(
  target: EventTarget,
  name: Name,
  detail: VexportEventMap[Name]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends VexportEventMap {}
}
