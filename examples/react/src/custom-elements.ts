// Typing vexport's elements for JSX. React 19 sets these props as properties on custom elements and turns
// `on<event-name>` props into listeners for that event.
import type {
  ExportCreatedDetail,
  ExportEndedDetail,
  ExportModal,
  ExportProgressElement,
  ExportsList,
  VexportProvider,
} from '@vexport/widget';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

type ElementProps<T, Props> = DetailedHTMLProps<HTMLAttributes<T>, T> & Props;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'vexport-provider': ElementProps<VexportProvider, { client?: VexportProvider['client'] }>;
      'export-modal': ElementProps<
        ExportModal,
        {
          'video-id'?: string;
          segments?: ExportModal['segments'];
          open?: boolean;
          'onexport-created'?: (event: CustomEvent<ExportCreatedDetail>) => void;
          'onexport-modal-close'?: (event: CustomEvent) => void;
        }
      >;
      'export-progress': ElementProps<
        ExportProgressElement,
        { 'export-id'?: string; 'onexport-completed'?: (event: CustomEvent<ExportEndedDetail>) => void }
      >;
      'exports-list': ElementProps<ExportsList, { 'video-id'?: string }>;
    }
  }
}
