// `import type {} from '@vexport/widget/react'` once in a React 19 app: every vexport element becomes a typed
// JSX intrinsic element. React 19 sets a prop as a property when the element has one by that name (so
// `segments` and `client` take objects), as an attribute otherwise (`video-id`), and turns `on<event-name>`
// props into listeners for exactly that event name.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  VexportAttributes,
  VexportElement,
  VexportEventProps,
  VexportProperties,
  VexportTag,
} from './shared.js';

export type { VexportTag };

/** The JSX props of a vexport element in React 19. */
export type VexportReactProps<Tag extends VexportTag> = DetailedHTMLProps<
  HTMLAttributes<VexportElement<Tag>>,
  VexportElement<Tag>
> &
  VexportProperties<Tag> &
  VexportAttributes<Tag> &
  VexportEventProps<Tag>;

type VexportIntrinsicElements = { [Tag in VexportTag]: VexportReactProps<Tag> };

declare module 'react' {
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface IntrinsicElements extends VexportIntrinsicElements {}
  }
}
