import '@vexport/widget';
import type {} from '@vexport/widget/vue';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
