// Touch input for the end-to-end tests: a finger on the screen, through Chromium's own touch emulation, so the
// page receives the pointer events (pointerType 'touch') and touch events a phone's browser would send.
import type { Page } from '@playwright/test';

/** A point on the page, in CSS pixels of the viewport. */
export interface Point {
  x: number;
  y: number;
}

/**
 * Puts a finger down at `from`, slides it to `to` in `steps` moves and lifts it. The page needs a context with
 * `hasTouch`; the points must be inside the viewport, as a finger's are.
 */
export async function touchDrag(page: Page, from: Point, to: Point, steps = 8): Promise<void> {
  const session = await page.context().newCDPSession(page);
  try {
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: Point[]) =>
      session.send('Input.dispatchTouchEvent', { type, touchPoints: points });
    await touch('touchStart', [from]);
    for (let step = 1; step <= steps; step += 1) {
      const fraction = step / steps;
      await touch('touchMove', [
        { x: from.x + (to.x - from.x) * fraction, y: from.y + (to.y - from.y) * fraction },
      ]);
    }
    await touch('touchEnd', []);
  } finally {
    await session.detach();
  }
}
