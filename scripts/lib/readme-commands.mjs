// The commands a Markdown file shows, so that the checks run what a reader copies.
import { readFileSync } from 'node:fs';

/** The line of the file's ```sh blocks that contains `needle`; throws when none does. */
export function readmeCommand(file, needle) {
  const text = readFileSync(file, 'utf8');
  const lines = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) => match[1].split('\n'));
  const line = lines.find((candidate) => candidate.includes(needle));
  if (!line) throw new Error(`${file} no longer shows a command with "${needle}".`);
  return line.trim();
}
