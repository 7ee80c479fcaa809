import { css } from 'lit';
import { controls } from '../../styles/shared.js';
import { tokens } from '../../styles/tokens.js';

export const timelineStyles = [
  tokens,
  controls,
  css`
    :host {
      display: block;
      container-type: inline-size;
      --_strip: var(--vexport-timeline-height, 64px);
      /* room either side of the strip for the outer half of the edge handles */
      --_edge: 22px;
      --_target: 44px;
    }
    .timeline {
      display: grid;
      gap: var(--_space);
      min-width: 0;
    }
    p {
      margin: 0;
    }
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      align-items: center;
    }
    button,
    input {
      min-height: var(--_target);
      min-width: var(--_target);
      box-sizing: border-box;
    }
    .time-readout {
      margin-left: auto;
      font-variant-numeric: tabular-nums;
    }
    .viewport {
      position: relative;
      overflow-x: auto;
      overflow-y: hidden;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      overscroll-behavior-x: contain;
    }
    .track {
      position: relative;
      margin: 0 var(--_edge);
      min-width: 0;
    }
    .ruler {
      position: relative;
      height: 28px;
      cursor: pointer;
      touch-action: pan-x;
      background: repeating-linear-gradient(
          to right,
          color-mix(in srgb, var(--_muted) 45%, transparent) 0 1px,
          transparent 1px 10%
        )
        bottom / 100% 8px no-repeat;
    }
    .playhead-knob {
      position: absolute;
      top: 0;
      width: var(--_target);
      height: var(--_target);
      margin-left: calc(var(--_target) / -2);
      z-index: 3;
      touch-action: none;
      cursor: ew-resize;
      outline: none;
    }
    .playhead-knob::before {
      content: '';
      position: absolute;
      left: 50%;
      top: 4px;
      width: 14px;
      height: 18px;
      margin-left: -7px;
      border-radius: 3px 3px 7px 7px;
      background: var(--_danger);
    }
    .playhead-knob:focus-visible::before {
      outline: 2px solid var(--_accent);
      outline-offset: 2px;
    }
    .strip {
      position: relative;
      height: var(--_strip);
      touch-action: none;
      cursor: crosshair;
      background: color-mix(in srgb, var(--_border) 50%, transparent);
      user-select: none;
    }
    .filmstrip {
      position: absolute;
      inset: 0;
      overflow: hidden;
      /* dimmed, so that the clips on top of it stand out */
      opacity: 0.6;
    }
    .filmstrip img {
      position: absolute;
      top: 0;
      height: 100%;
      object-fit: cover;
      pointer-events: none;
    }
    .draft {
      position: absolute;
      top: 0;
      bottom: 0;
      background: color-mix(in srgb, var(--_accent) 30%, transparent);
      outline: 2px dashed var(--_accent);
    }
    .mark {
      position: absolute;
      top: 0;
      bottom: 0;
      width: 3px;
      margin-left: -1px;
      background: var(--_accent);
    }
    .clips-layer {
      position: absolute;
      left: 0;
      right: 0;
      top: 28px;
      height: var(--_strip);
      pointer-events: none;
    }
    .clip {
      position: absolute;
      top: 0;
      bottom: 0;
      pointer-events: auto;
    }
    .clip-body {
      position: absolute;
      inset: 0;
      min-width: 0;
      min-height: 0;
      padding: 0;
      display: flex;
      align-items: flex-start;
      justify-content: center;
      overflow: hidden;
      border: 3px solid var(--_accent);
      border-radius: 4px;
      background: color-mix(in srgb, var(--_accent) 28%, transparent);
    }
    .clip[data-overlap] .clip-body {
      border-style: dashed;
      border-color: var(--_danger);
      background: color-mix(in srgb, var(--_danger) 18%, transparent);
    }
    .clip-label {
      margin-top: 2px;
      padding: 0 4px;
      max-width: calc(100% - 8px);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      border-radius: 3px;
      font-size: 0.8em;
      background: var(--_surface);
      color: var(--_text);
    }
    .handle {
      position: absolute;
      top: 0;
      bottom: 0;
      width: var(--_target);
      z-index: 2;
      touch-action: none;
      cursor: ew-resize;
      outline: none;
    }
    /* each handle reaches a little into the clip and mostly outside it, so narrow clips keep both */
    .handle.start {
      right: calc(100% - 8px);
    }
    .handle.end {
      left: calc(100% - 8px);
    }
    .grip {
      position: absolute;
      top: 0;
      bottom: 0;
      width: 8px;
      border-radius: 4px;
      background: var(--_accent);
    }
    .handle.start .grip {
      right: 0;
    }
    .handle.end .grip {
      left: 0;
    }
    .clip[data-overlap] .grip {
      background: var(--_danger);
    }
    .handle:focus-visible .grip {
      outline: 2px solid var(--_text);
      outline-offset: 1px;
    }
    .playhead-line {
      position: absolute;
      top: 0;
      bottom: 0;
      width: 2px;
      margin-left: -1px;
      background: var(--_danger);
      pointer-events: none;
      z-index: 1;
    }
    .shortcuts,
    .empty {
      color: var(--_muted);
      font-size: 0.85em;
    }
    .message:empty {
      display: none;
    }
    .unplayable {
      padding: var(--_space);
      border-left: 3px solid var(--_danger);
      background: var(--_surface);
    }
    .touch-hint {
      display: none;
    }
    /* the key hints mean nothing where the person has no keyboard at hand (phones and tablets) */
    @media (hover: none) and (pointer: coarse) {
      .shortcuts,
      .keys-hint {
        display: none;
      }
      .touch-hint {
        display: inline;
      }
    }
    .flag {
      color: var(--_danger);
    }
    .clips-heading {
      font-weight: 600;
    }
    .clips {
      display: grid;
      gap: var(--_space);
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .row {
      display: grid;
      grid-template-columns: minmax(8rem, 20rem) 7.5rem 7.5rem auto;
      gap: var(--_space);
      align-items: end;
      justify-content: start;
    }
    .row[data-overlap] input.time {
      border-color: var(--_danger);
    }
    .row .flag {
      grid-column: 1 / -1;
    }
    .field {
      display: grid;
      gap: 2px;
      font-size: 0.85em;
      color: var(--_muted);
      min-width: 0;
    }
    input {
      font: inherit;
      font-size: 1rem;
      width: 100%;
      padding: 0 var(--_space);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      color: var(--_text);
    }
    input.time {
      font-variant-numeric: tabular-nums;
    }
    input[aria-invalid='true'] {
      border: 2px solid var(--_danger);
    }
    @container (max-width: 520px) {
      .row {
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) auto;
        justify-content: stretch;
        padding-bottom: var(--_space);
        border-bottom: 1px solid var(--_border);
      }
      .row .name {
        grid-column: 1 / -1;
      }
      .time-readout {
        margin-left: 0;
        flex-basis: 100%;
      }
      .shortcuts {
        display: none;
      }
    }
  `,
];
