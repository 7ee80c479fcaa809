/** The page's own title while a badge replaces it; undefined while none does. */
let originalTitle: string | undefined;

function restore(): void {
  if (originalTitle === undefined) return;
  document.title = originalTitle;
  originalTitle = undefined;
  window.removeEventListener('focus', restore);
  document.removeEventListener('visibilitychange', restoreWhenVisible);
}

function restoreWhenVisible(): void {
  if (document.visibilityState === 'visible' && document.hasFocus()) restore();
}

/** The page's title without a badge, also while one is shown. */
export function pageTitle(): string {
  return originalTitle ?? document.title;
}

/**
 * Shows `title` as the page's title until the person comes back to the page (it gains focus), so a finished
 * export is seen from another tab. A second badge replaces the first; the page's own title comes back once.
 */
export function showTitleBadge(title: string): void {
  if (originalTitle === undefined) {
    originalTitle = document.title;
    window.addEventListener('focus', restore);
    document.addEventListener('visibilitychange', restoreWhenVisible);
  }
  document.title = title;
}
