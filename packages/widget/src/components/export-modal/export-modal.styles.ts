import { css } from 'lit';
import { controls } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';

export const exportModalStyles = [
  tokens,
  controls,
  css`
    :host {
      display: contents;
    }
    /* the dialog is the container: the host is display: contents, and the dialog sits in the top layer */
    dialog {
      container: export-dialog / inline-size;
      box-sizing: border-box;
      width: min(560px, calc(100vw - 16px));
      max-width: calc(100vw - 16px);
      max-height: calc(100dvh - 16px);
      padding: 0;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 1.5);
      background: var(--_surface);
      color: var(--_text);
      box-shadow: 0 20px 50px rgb(0 0 0 / 0.25);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.45);
    }
    .form {
      display: grid;
      gap: calc(var(--_space) * 2);
      padding: calc(var(--_space) * 3);
    }
    .title-bar {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: var(--_space);
    }
    h2 {
      margin: 0;
      font-size: 1.25rem;
    }
    h3 {
      margin: 0 0 var(--_space);
      font-size: 0.95rem;
    }
    /* touch targets of at least 44 × 44 px */
    button,
    select,
    .option {
      box-sizing: border-box;
      min-height: 44px;
    }
    button {
      min-width: 44px;
    }
    button.icon {
      border: none;
      padding: var(--_space);
      line-height: 1;
    }
    .field {
      display: grid;
      gap: calc(var(--_space) / 2);
    }
    .field label {
      font-weight: 600;
    }
    select {
      font: inherit;
      width: 100%;
      padding: calc(var(--_space) * 0.75) var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
    }
    ol {
      margin: 0;
      padding: 0;
      list-style: none;
      display: grid;
      gap: 4px;
      max-height: 160px;
      overflow: auto;
    }
    li {
      display: grid;
      grid-template-columns: 1fr auto auto;
      gap: calc(var(--_space) * 2);
      font-variant-numeric: tabular-nums;
    }
    li .name {
      overflow-wrap: anywhere;
    }
    .range,
    .hint,
    .total {
      color: var(--_muted);
    }
    .total {
      margin: var(--_space) 0 0;
    }
    fieldset {
      margin: 0;
      padding: 0;
      border: none;
    }
    legend {
      font-weight: 600;
      margin-bottom: var(--_space);
    }
    .options {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
      gap: var(--_space);
    }
    .option {
      display: grid;
      grid-template-columns: auto 1fr;
      align-content: center;
      column-gap: var(--_space);
      padding: var(--_space) calc(var(--_space) * 1.5);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      cursor: pointer;
    }
    .option:has(input:disabled) {
      opacity: 0.6;
      cursor: not-allowed;
    }
    .option:has(input:checked) {
      border-color: var(--_accent);
      box-shadow: inset 0 0 0 1px var(--_accent);
    }
    .option .hint {
      grid-column: 2;
      font-size: 0.85em;
    }
    input[type='radio'] {
      accent-color: var(--_accent);
      margin: 0;
    }
    .estimate,
    .started {
      margin: 0;
    }
    .warning {
      margin: 0;
      padding: var(--_space) calc(var(--_space) * 1.5);
      border-left: 3px solid var(--_accent);
      border-radius: var(--_radius);
      background: color-mix(in srgb, var(--_accent) 8%, transparent);
    }
    .error {
      margin: 0;
      padding: var(--_space) calc(var(--_space) * 1.5);
      border-radius: var(--_radius);
      color: var(--_danger);
      background: color-mix(in srgb, var(--_danger) 10%, transparent);
    }
    footer {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: var(--_space);
    }
    .preview {
      width: 100%;
      max-height: 240px;
      border-radius: var(--_radius);
      background: #000;
    }
    .local {
      display: flex;
      gap: var(--_space);
      align-items: center;
    }
    .local progress {
      flex: 1;
    }
    .download {
      color: var(--_accent);
      font-weight: 600;
    }
    /* a phone-wide dialog: one option per row, segment times under their name, full-width buttons */
    @container export-dialog (max-width: 480px) {
      .form {
        padding: calc(var(--_space) * 2);
      }
      .options {
        grid-template-columns: 1fr;
      }
      ol {
        gap: var(--_space);
      }
      li {
        grid-template-columns: 1fr auto;
        row-gap: 2px;
      }
      li .range {
        grid-row: 2;
      }
      li .length {
        grid-row: 1 / span 2;
        align-self: center;
      }
      footer {
        display: grid;
        grid-template-columns: 1fr;
      }
      footer .primary {
        order: -1;
      }
    }
  `,
];
