import '@vexport/widget';
import type {} from '@vexport/widget/svelte';
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
