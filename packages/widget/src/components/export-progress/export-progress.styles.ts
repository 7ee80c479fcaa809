import { css } from 'lit';
import { controls } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';

export const exportProgressStyles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      /* the layout follows the space the host gives, not the window */
      container-type: inline-size;
    }
    .card {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: calc(var(--_space) * 1.5);
      padding: calc(var(--_space) * 2);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
    }
    .card[data-poster] {
      grid-template-columns: 64px minmax(0, 1fr);
      align-items: start;
    }
    .poster {
      width: 100%;
      aspect-ratio: 16 / 9;
      object-fit: cover;
      border-radius: calc(var(--_radius) / 2);
      background: var(--_border);
    }
    .body {
      display: grid;
      gap: var(--_space);
      min-width: 0;
    }
    .heading {
      display: grid;
      gap: 2px;
      min-width: 0;
    }
    .name,
    .options {
      margin: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .name {
      font-weight: 600;
    }
    .options {
      color: var(--_muted);
      font-size: 0.9em;
    }
    button {
      min-height: 44px;
      min-width: 44px;
    }
    button.danger {
      /* white on the dark scheme's light red is below 4.5:1 */
      color: var(--_on-accent);
    }
    @container (min-width: 480px) {
      .card[data-poster] {
        grid-template-columns: 128px minmax(0, 1fr);
      }
    }
    .stage {
      display: flex;
      gap: var(--_space);
      align-items: center;
      font-weight: 600;
    }
    .percent {
      margin-left: auto;
      font-variant-numeric: tabular-nums;
    }
    .bar {
      height: 8px;
      border-radius: 999px;
      background: color-mix(in srgb, var(--_border) 60%, transparent);
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--_accent);
      transition: width 0.3s ease;
    }
    [data-status='completed'] .fill {
      background: var(--_success);
    }
    [data-status='failed'] .fill,
    [data-status='cancelled'] .fill {
      background: var(--_muted);
    }
    .times {
      display: flex;
      flex-wrap: wrap;
      gap: 0 var(--_space);
      justify-content: space-between;
      color: var(--_muted);
      font-size: 0.9em;
      font-variant-numeric: tabular-nums;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      justify-content: flex-end;
    }
    .confirm {
      display: grid;
      gap: var(--_space);
      width: 100%;
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
    :host([compact]) .card {
      padding: var(--_space) calc(var(--_space) * 1.5);
      gap: var(--_space);
    }
    :host([compact]) .card[data-poster] {
      grid-template-columns: 48px minmax(0, 1fr);
    }
    :host([compact]) .body {
      gap: calc(var(--_space) / 2);
    }
    .error,
    .warning {
      margin: 0;
      color: var(--_danger);
    }
    video {
      width: 100%;
      border-radius: var(--_radius);
      background: #000;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `,
];
