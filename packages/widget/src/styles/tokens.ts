import { css } from 'lit';

/**
 * Design tokens: every `--vexport-*` custom property an element reads, with its default. A host page
 * themes the widget by setting these on any ancestor (or `:root`). The defaults follow the page's
 * `color-scheme` (light or dark) through `light-dark()`.
 */
export const tokens = css`
  :host {
    --_font: var(--vexport-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_text: var(--vexport-color-text, light-dark(#1f2328, #e6edf3));
    --_muted: var(--vexport-color-muted, light-dark(#59636e, #9198a1));
    --_surface: var(--vexport-color-surface, light-dark(#ffffff, #1c2128));
    --_border: var(--vexport-color-border, light-dark(#d1d9e0, #3d444d));
    --_accent: var(--vexport-color-accent, light-dark(#2563eb, #4c8dff));
    --_on-accent: var(--vexport-color-on-accent, light-dark(#ffffff, #0d1117));
    --_danger: var(--vexport-color-danger, light-dark(#c62828, #ff7b72));
    --_success: var(--vexport-color-success, light-dark(#1a7f37, #3fb950));
    --_radius: var(--vexport-radius, 8px);
    --_space: var(--vexport-space, 8px);
    font-family: var(--_font);
    color: var(--_text);
  }
`;
