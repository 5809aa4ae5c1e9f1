// The volunteer app's service worker, served at /volunteer/sw.js with its
// settings written above this line as self.VOLUNTEER_CONFIG.
//
// It keeps the assisted-filing page (with its categories and the served
// communities), the styles, scripts and fonts, so the form opens without a
// network. Pages about a resident are never stored: only the bare filing
// page is, and any page of the app opened offline falls back to it.
"use strict";

const CONFIG = self.VOLUNTEER_CONFIG;
const CACHE = "volunteer-" + CONFIG.version;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(function (cache) {
        return cache.addAll(
          CONFIG.precache.map(function (url) {
            return new Request(url, { credentials: "same-origin" });
          })
        );
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.startsWith("volunteer-") && name !== CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function fromCacheFirst(request) {
  return caches.match(request).then(function (kept) {
    if (kept) {
      return kept;
    }
    return fetch(request).then(function (response) {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          cache.put(request, copy);
        });
      }
      return response;
    });
  });
}

function fromNetworkFirst(request, url) {
  return fetch(request)
    .then(function (response) {
      const bare = url.pathname === CONFIG.offlinePage && !url.search;
      if (bare && response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          cache.put(CONFIG.offlinePage, copy);
        });
      }
      return response;
    })
    .catch(function () {
      return caches.match(CONFIG.offlinePage).then(function (kept) {
        return kept || Response.error();
      });
    });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate" && url.pathname.startsWith(CONFIG.scope)) {
    event.respondWith(fromNetworkFirst(request, url));
  }
});
