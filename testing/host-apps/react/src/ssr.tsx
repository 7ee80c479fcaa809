// Rendered in Node by the test: the widget is imported where no DOM exists, as in server-side rendering.
import '@vexport/widget';
import { renderToString } from 'react-dom/server';
import { App } from './App.js';

console.log(renderToString(<App />));
