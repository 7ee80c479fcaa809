import type { Export, ExportSettings } from '@vexport/sdk';

/** `detail` of `export-created`: the export the API accepted. */
export interface ExportCreatedDetail {
  export: Export;
}

/** `detail` of `export-completed`, `export-failed` and `export-cancelled`: the export as it ended. */
export interface ExportEndedDetail {
  export: Export;
}

/** `detail` of `settings-saved`: what is stored, and whether only on this device (the API was unreachable). */
export interface SettingsSavedDetail {
  settings: ExportSettings;
  offline: boolean;
}

/** `detail` of `local-export-completed`: the file made in the browser, and a name for it. */
export interface LocalExportDetail {
  blob: Blob;
  fileName: string;
}

/** The events vexport elements fire; all bubble and cross shadow roots (`composed`). */
export interface VexportEventMap {
  'export-created': CustomEvent<ExportCreatedDetail>;
  'export-completed': CustomEvent<ExportEndedDetail>;
  'export-failed': CustomEvent<ExportEndedDetail>;
  'export-cancelled': CustomEvent<ExportEndedDetail>;
  'export-modal-close': CustomEvent<Record<string, never>>;
  'export-create-request': CustomEvent<Record<string, never>>;
  'settings-saved': CustomEvent<SettingsSavedDetail>;
  'local-export-completed': CustomEvent<LocalExportDetail>;
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
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DocumentEventMap extends VexportEventMap {}
}
