// Entry point: finds out where the app runs, renders it, and registers the service worker that
// makes it work offline (installable as a PWA).
import 'uplot/dist/uPlot.min.css';
import './ui/style.css';
import { render } from 'preact';
import { html } from 'htm/preact';
import { detectEnvironment } from './environment.js';
import { App } from './ui/app.js';
import { recordConsole } from './ui/simulator.js';

const root = document.getElementById('app')!;
void detectEnvironment().then((env) => {
  if (env.sim) {
    recordConsole(env.sim);
    void env.sim.state().catch(() => undefined); // opens the control socket, so the console streams
  }
  root.textContent = '';
  render(html`<${App} env=${env} />`, root);
});

if ('serviceWorker' in navigator && (location.protocol === 'https:' || location.hostname === 'localhost' || location.hostname === '127.0.0.1')) {
  void navigator.serviceWorker.register('./sw.js').catch(() => undefined);
}
