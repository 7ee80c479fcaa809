/**
 * Registers a custom element where a registry exists and the name is still free. Importing the widget on a
 * server (SSR) or twice on one page must not throw, which Lit's `@customElement` decorator would.
 */
export function defineElement(name: string, element: CustomElementConstructor): void {
  const registry = (globalThis as { customElements?: CustomElementRegistry }).customElements;
  if (registry && !registry.get(name)) registry.define(name, element);
}
