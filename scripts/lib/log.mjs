// Console output of the set-up scripts: one prefix, colours only on a terminal.
const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);

export const log = {
  step: (message) => console.log(`${paint('36', 'vexport')} ${message}`),
  ok: (message) => console.log(`${paint('32', 'vexport')} ${message}`),
  warn: (message) => console.warn(`${paint('33', 'vexport')} ${message}`),
  error: (message) => console.error(`${paint('31', 'vexport')} ${message}`),
  bold: (text) => paint('1', text),
};

/** An error whose message is meant for a person: printed alone, without a stack trace. */
export class SetupError extends Error {
  name = 'SetupError';
}

/** Runs `main`, printing a SetupError as a plain message and anything else with its stack. */
export async function runScript(main) {
  try {
    await main();
  } catch (error) {
    if (error instanceof SetupError) {
      log.error(error.message);
    } else {
      log.error(error?.stack ?? String(error));
    }
    process.exitCode = 1;
  }
}
