import { IncomingMessage, ServerResponse, createServer, type Server } from 'node:http';
import type { Express } from 'express';

/**
 * A constructor that builds what `Base` builds, with `prototype` as the new object's prototype from the
 * start.
 */
function bornWithPrototype<Constructor extends new (...args: never[]) => object>(
  Base: Constructor,
  prototype: object,
): Constructor {
  function Message(...args: unknown[]): object {
    return Reflect.construct(Base, args, Message) as object;
  }
  Message.prototype = prototype;
  return Message as unknown as Constructor;
}

/**
 * An HTTP server for an Express app whose requests and responses are created with the app's request and
 * response prototypes. Express gives each request and response those prototypes when it starts handling
 * them, and leaves an object that already has them as it is. Changing the prototype of a live object makes
 * V8 keep garbage past young-generation collections: with plain `createServer(app)` the API promoted about
 * 11 KB to the old generation per created export, 2.6 KB with this, so full collections (the pauses behind
 * the API's slowest requests) come about four times less often.
 */
export function createExpressServer(app: Express): Server {
  return createServer(
    {
      IncomingMessage: bornWithPrototype<typeof IncomingMessage>(IncomingMessage, app.request),
      ServerResponse: bornWithPrototype<typeof ServerResponse>(ServerResponse, app.response),
    },
    app,
  );
}
