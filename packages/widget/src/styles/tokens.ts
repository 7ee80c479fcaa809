import { css } from 'lit';

/**
 * Design tokens: every `--vexport-*` custom property an element reads, with its default. A host page
 * themes the widget by setting these on any ancestor (or `:root`).
 */
export const tokens = css`
  :host {
    --_font: var(--vexport-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_text: var(--vexport-color-text, #1f2328);
    --_muted: var(--vexport-color-muted, #59636e);
    --_surface: var(--vexport-color-surface, #ffffff);
    --_border: var(--vexport-color-border, #d1d9e0);
    --_accent: var(--vexport-color-accent, #2563eb);
    --_on-accent: var(--vexport-color-on-accent, #ffffff);
    --_danger: var(--vexport-color-danger, #c62828);
    --_success: var(--vexport-color-success, #1a7f37);
    --_radius: var(--vexport-radius, 8px);
    --_space: var(--vexport-space, 8px);
    font-family: var(--_font);
    color: var(--_text);
  }
`;
