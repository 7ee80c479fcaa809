// `import type {} from '@vexport/widget/vue'` once in a Vue 3 app: vue-tsc then checks the props and `@event`
// listeners of every vexport element in templates. Vue must still be told that these tags are custom elements
// (`compilerOptions.isCustomElement`); these typings only describe them.
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { VexportElement, VexportEvents, VexportProperties, VexportTag } from './shared.js';

export type { VexportTag };

/**
 * A vexport element as Vue's template type checking reads a component: `$props` for its props (kebab-case
 * in templates is matched to these camelCase names) and `$emit` for its events.
 */
export type VexportVueComponent<Tag extends VexportTag> = new () => VexportElement<Tag> & {
  /** @deprecated For template type checking only; the element has no `$props`. */
  $props: HTMLAttributes & PublicProps & VexportProperties<Tag>;
  /** @deprecated For template type checking only; the element has no `$emit`. */
  $emit: EmitFn<{
    [Name in keyof VexportEvents<Tag>]: (event: VexportEvents<Tag>[Name]) => void;
  }>;
};

type VexportGlobalComponents = { [Tag in VexportTag]: VexportVueComponent<Tag> };

declare module 'vue' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalComponents extends VexportGlobalComponents {}
}
