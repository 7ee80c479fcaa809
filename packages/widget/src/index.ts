/**
 * @vexport/widget — importing this module registers every vexport element.
 */
export { VexportProvider } from './components/vexport-provider/vexport-provider.js';
export { clientContext } from './context/client-context.js';
export { tokens } from './styles/tokens.js';
