// Must not type-check: React 19 would listen for an `ExportCreated` event, which the widget never fires.
import type {} from '@vexport/widget/react';

export const misCased = <export-modal onExportCreated={() => undefined} />;

// Must not type-check: `export-created` carries the created export, not settings.
export const wrongDetail = <export-modal onexport-created={(event) => console.log(event.detail.settings)} />;
