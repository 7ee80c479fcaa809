import { createContext } from '@lit/context';
import type { VexportClient } from '@vexport/sdk';

/** The SDK client shared by every vexport element below a `<vexport-provider>`. */
export const clientContext = createContext<VexportClient | undefined>(Symbol('vexport-client'));
