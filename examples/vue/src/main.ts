import { createApp } from 'vue';
import '@vexport/widget';
import App from './App.vue';

createApp(App).mount('#app');
