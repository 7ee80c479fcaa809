// Writes dist/framework/elements.d.ts from dist/custom-elements.json: for every element, its class, the
// properties a host may set, its attributes and the events it fires. The framework typings in types/ map this
// one description onto React, Vue and Svelte, so a property or event added to a component (and documented
// with its JSDoc tags) reaches every framework's type checking without a hand-kept list.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('custom-elements.json', dist), 'utf8'));

const elements = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .filter((declaration) => declaration.customElement && declaration.tagName)
  .sort((a, b) => a.tagName.localeCompare(b.tagName));

const quoted = (name) => JSON.stringify(name);
const union = (names) => (names.length > 0 ? names.map(quoted).join(' | ') : 'never');

function describe(element) {
  const properties = (element.members ?? [])
    .filter((member) => member.kind === 'field' && !member.static && !member.privacy)
    .map((member) => member.name);
  // attributes are strings in HTML; a framework that sets one passes the property's value through String()
  const attributes = (element.attributes ?? [])
    .filter((attribute) => attribute.fieldName && attribute.name !== attribute.fieldName)
    .map(
      (attribute) => `${quoted(attribute.name)}?: ${element.name}[${quoted(attribute.fieldName)}] | string;`,
    );
  const events = (element.events ?? []).map((event) => event.name);
  const summary = (element.summary ?? element.name).replace(/\s+/g, ' ').replaceAll('*/', '*\\/');
  return `  /** ${summary} */
  ${quoted(element.tagName)}: {
    element: ${element.name};
    properties: ${union(properties)};
    attributes: { ${attributes.join(' ')} };
    events: ${union(events)};
  };`;
}

const source = `// Generated from custom-elements.json by scripts/framework-types.mjs; do not edit.
import type { ${elements.map((element) => element.name).join(', ')} } from '../types/index.js';

/** Every vexport element by tag: its class, settable properties, kebab-case attributes and fired events. */
export interface VexportElements {
${elements.map(describe).join('\n')}
}
`;

mkdirSync(new URL('framework/', dist), { recursive: true });
writeFileSync(new URL('framework/elements.d.ts', dist), source);
console.log(`framework typings: ${elements.length} elements`);
