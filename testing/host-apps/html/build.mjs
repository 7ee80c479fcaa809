// No bundler: the page, its script and the widget's self-contained build, copied side by side into dist/.
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync('dist/vendor', { recursive: true });
copyFileSync('index.html', 'dist/index.html');
copyFileSync('app.js', 'dist/app.js');
copyFileSync(
  'node_modules/@vexport/widget/dist/vexport-widget.standalone.js',
  'dist/vendor/vexport-widget.standalone.js',
);
