/** What npm test started for the end-to-end tests. */
export interface E2eStack {
  urls: { vanilla: string; react: string; vue: string };
  token: string;
  videoId: string;
  /** The stack's local storage and worker temp folders, to check that nothing is left behind. */
  storageDir: string;
  workDir: string;
}

export function e2eStack(): E2eStack {
  const raw = process.env.VEXPORT_E2E_STACK;
  if (!raw) throw new Error('VEXPORT_E2E_STACK is not set: run the end-to-end tests through `npm test`.');
  return JSON.parse(raw) as E2eStack;
}
