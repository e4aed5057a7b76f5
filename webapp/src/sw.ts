// The service worker: keeps the app's own files (listed at build time) in a versioned cache so
// the programmer opens without a network, as it must beside a patient. Everything else (the
// simulator's /api and sockets) goes to the network untouched.
declare const __ASSETS__: string[];
declare const __VERSION__: string;

interface ExtendableEvent extends Event { waitUntil(promise: Promise<unknown>): void }
interface FetchEvent extends ExtendableEvent { readonly request: Request; respondWith(response: Promise<Response>): void }

const worker = self as unknown as { skipWaiting(): Promise<void>; clients: { claim(): Promise<void> }; registration: { scope: string }; addEventListener(type: string, listener: (event: never) => void): void };
const CACHE = `implant-programmer-${__VERSION__}`;

worker.addEventListener('install', (event: ExtendableEvent) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(__ASSETS__)).then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event: ExtendableEvent) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('implant-programmer-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => worker.clients.claim()));
});

worker.addEventListener('fetch', (event: FetchEvent) => {
  const url = new URL(event.request.url);
  const assets = new Set(__ASSETS__.map((a) => new URL(a, worker.registration.scope).href));
  if (event.request.method !== 'GET' || !assets.has(url.href)) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => (await cache.match(event.request)) ?? fetch(event.request)));
});
