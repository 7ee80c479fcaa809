import { css } from 'lit';
import { controls } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';

export const exportSettingsStyles = [
  tokens,
  controls,
  css`
    :host {
      display: grid;
      gap: calc(var(--_space) * 2.5);
    }
    h3 {
      margin: 0 0 var(--_space);
      font-size: 1rem;
    }
    .row,
    .editor {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      align-items: end;
    }
    label.field {
      display: grid;
      gap: 2px;
      font-size: 0.85em;
      color: var(--_muted);
    }
    select,
    input {
      font: inherit;
      color: var(--_text);
      padding: 4px 8px;
      border-radius: var(--_radius);
      border: 1px solid var(--_border);
      background: var(--_surface);
    }
    .presets {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 4px;
    }
    .presets li {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: var(--_space);
      padding: calc(var(--_space) * 0.75) var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .buttons {
      display: flex;
      gap: 4px;
    }
    .muted {
      color: var(--_muted);
    }
    .error {
      color: var(--_danger);
      margin: 0;
      flex-basis: 100%;
    }
    .footer {
      display: flex;
      gap: var(--_space);
      justify-content: flex-end;
    }
    .status {
      margin: 0;
      min-height: 1.2em;
      color: var(--_muted);
    }
  `,
];
