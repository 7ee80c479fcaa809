import { css } from 'lit';
import { controls } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';

export const exportProgressStyles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
    }
    .card {
      display: grid;
      gap: var(--_space);
      padding: calc(var(--_space) * 2);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
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
      justify-content: space-between;
      color: var(--_muted);
      font-size: 0.9em;
      font-variant-numeric: tabular-nums;
    }
    .actions {
      display: flex;
      gap: var(--_space);
      justify-content: flex-end;
    }
    .confirm {
      display: flex;
      gap: var(--_space);
      align-items: center;
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
