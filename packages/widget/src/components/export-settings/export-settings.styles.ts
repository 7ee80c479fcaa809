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
      /* the layout follows the space the host gives, not the window */
      container-type: inline-size;
    }
    button,
    select,
    input:not([type='checkbox']) {
      min-height: 44px;
    }
    button {
      min-width: 44px;
    }
    button.danger {
      /* white on the dark scheme's light red is below 4.5:1 */
      color: var(--_on-accent);
    }
    .confirm {
      display: grid;
      gap: var(--_space);
      padding: calc(var(--_space) * 1.5);
      border: 1px solid var(--_danger);
      border-radius: var(--_radius);
      background: color-mix(in srgb, var(--_danger) 6%, var(--_surface));
    }
    .confirm p {
      margin: 0;
    }
    .confirm .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      justify-content: flex-end;
    }
    label.check {
      display: flex;
      gap: var(--_space);
      align-items: center;
      min-height: 44px;
    }
    label.check input {
      width: 20px;
      height: 20px;
      margin: 0;
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
      flex-wrap: wrap;
      justify-content: space-between;
      align-items: center;
      gap: var(--_space);
      padding: calc(var(--_space) * 0.75) var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .row > .field {
      flex: 1 1 10em;
    }
    @container (max-width: 479px) {
      .presets li > button,
      .presets .buttons {
        flex: 1 1 100%;
      }
      .footer {
        flex-direction: column-reverse;
        align-items: stretch;
      }
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
