import { css } from 'lit';
import { controls } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';

export const exportsListStyles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      /* the layout follows the space the host gives, not the window */
      container-type: inline-size;
    }
    button,
    select {
      min-height: 44px;
    }
    button.danger {
      /* white on the dark scheme's light red is below 4.5:1 */
      color: var(--_on-accent);
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      align-items: end;
      margin-bottom: var(--_space);
    }
    label.field {
      display: grid;
      gap: 2px;
      font-size: 0.85em;
      color: var(--_muted);
    }
    select {
      font: inherit;
      padding: 4px 8px;
      border-radius: var(--_radius);
      border: 1px solid var(--_border);
      background: var(--_surface);
      color: var(--_text);
    }
    table {
      width: 100%;
      border-collapse: collapse;
      font-variant-numeric: tabular-nums;
    }
    th,
    td {
      text-align: left;
      padding: calc(var(--_space) * 0.75) var(--_space);
      border-bottom: 1px solid var(--_border);
      vertical-align: middle;
    }
    th {
      font-size: 0.85em;
      color: var(--_muted);
      font-weight: 600;
    }
    .badge {
      display: inline-block;
      padding: 2px 8px;
      border-radius: 999px;
      font-size: 0.85em;
      font-weight: 600;
      background: color-mix(in srgb, var(--badge) 12%, var(--_surface));
      color: color-mix(in srgb, var(--badge) 78%, var(--_text));
    }
    .badge[data-status='pending'] {
      --badge: var(--_muted);
    }
    .badge[data-status='processing'] {
      --badge: var(--_accent);
    }
    .badge[data-status='completed'] {
      --badge: var(--_success);
    }
    .badge[data-status='failed'] {
      --badge: var(--_danger);
    }
    .badge[data-status='cancelled'] {
      --badge: var(--_muted);
    }
    .mini-bar {
      height: 4px;
      margin-top: 4px;
      border-radius: 999px;
      background: color-mix(in srgb, var(--_border) 60%, transparent);
      overflow: hidden;
    }
    .mini-bar > div {
      height: 100%;
      background: var(--_accent);
    }
    .actions {
      display: flex;
      gap: 4px;
      flex-wrap: wrap;
    }
    .actions button {
      padding: 2px 12px;
      min-width: 44px;
      white-space: nowrap;
    }
    time {
      white-space: nowrap;
    }
    .video {
      font-weight: 600;
      min-width: 6em;
    }
    .video .name {
      display: block;
      max-width: 8em;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .confirm-row td {
      background: color-mix(in srgb, var(--_danger) 8%, var(--_surface));
    }
    .confirm {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      align-items: center;
      justify-content: space-between;
    }
    .confirm p {
      margin: 0;
      flex: 1 1 20em;
    }
    .confirm .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
    }
    .details td {
      background: color-mix(in srgb, var(--_border) 20%, transparent);
      color: var(--_muted);
    }
    .skeleton td::after {
      content: '';
      display: block;
      height: 0.9em;
      border-radius: 4px;
      background: linear-gradient(90deg, var(--_border), transparent, var(--_border));
      background-size: 200% 100%;
      animation: shimmer 1.2s infinite linear;
    }
    @keyframes shimmer {
      to {
        background-position: -200% 0;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .skeleton td::after {
        animation: none;
      }
    }
    .empty {
      display: grid;
      justify-items: center;
      gap: var(--_space);
      padding: calc(var(--_space) * 4);
      color: var(--_muted);
    }
    .pager {
      display: flex;
      gap: var(--_space);
      align-items: center;
      justify-content: flex-end;
      margin-top: var(--_space);
    }
    .error {
      color: var(--_danger);
    }
    @container (min-width: 900px) {
      .actions {
        flex-wrap: nowrap;
      }
    }
    /*
     * narrower than eleven columns and three action buttons need: each export is a card of label–value lines;
     * the header stays for screen readers
     */
    @container (max-width: 1239px) {
      thead {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
      table,
      tbody,
      tr,
      td {
        display: block;
      }
      tbody {
        display: grid;
        gap: var(--_space);
      }
      tr {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space);
      }
      td {
        border-bottom: none;
        padding: 2px 0;
      }
      td[data-label] {
        display: grid;
        grid-template-columns: minmax(6em, 35%) minmax(0, 1fr);
        gap: var(--_space);
        align-items: center;
      }
      td[data-label]::before {
        content: attr(data-label);
        color: var(--_muted);
        font-size: 0.85em;
      }
      .actions-cell {
        padding-top: var(--_space);
      }
      .pager {
        flex-wrap: wrap;
        justify-content: center;
      }
    }
  `,
];
