// The volunteer's tablet as an offline app: the service worker, the queue of
// filings kept in IndexedDB, and sending them when a connection is there.
//
// A filing leaves the queue only when the platform answers with its tracking
// number. A refusal keeps it on the tablet with the platform's reason until
// the volunteer sends it again or removes it; a lost connection, a server
// error or an expired sign-in keep it waiting and it is tried again later.
(function () {
  "use strict";

  const root = document.querySelector("[data-volunteer]");
  if (!root) {
    return;
  }
  const panel = root.querySelector("[data-queue]");
  const syncUrl = root.dataset.syncUrl;
  // One queue per account: a tablet passed between volunteers never sends
  // one volunteer's filings under another's name.
  const databaseName = "volunteer-queue-" + root.dataset.user;
  const FILINGS = "filings";
  const SENT = "sent";
  // Sent filings stay listed for the rest of the day's round, no longer.
  const SENT_KEPT_MS = 12 * 60 * 60 * 1000;
  const RETRY_EVERY_MS = 60 * 1000;
  let syncing = false;
  let note = "";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register(root.dataset.worker, { scope: root.dataset.scope })
      .catch(function () {
        // Without a worker the pages still work online; nothing to tell.
      });
  }

  function openDatabase() {
    return new Promise(function (resolve, reject) {
      const request = indexedDB.open(databaseName, 1);
      request.onupgradeneeded = function () {
        const database = request.result;
        database.createObjectStore(FILINGS, { keyPath: "key" });
        database.createObjectStore(SENT, { keyPath: "tracking_number" });
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  const database = openDatabase();

  function run(store, mode, action) {
    return database.then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(store, mode);
        const request = action(transaction.objectStore(store));
        transaction.oncomplete = function () {
          resolve(request ? request.result : undefined);
        };
        transaction.onerror = function () {
          reject(transaction.error);
        };
      });
    });
  }

  function all(store) {
    return run(store, "readonly", function (objects) {
      return objects.getAll();
    });
  }

  function put(store, value) {
    return run(store, "readwrite", function (objects) {
      return objects.put(value);
    });
  }

  function remove(store, key) {
    return run(store, "readwrite", function (objects) {
      return objects.delete(key);
    });
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) {
      return decodeURIComponent(match[1]);
    }
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // Send one filing; answer what the queue should do next.
  function send(item) {
    return fetch(syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(item.payload),
    }).then(
      function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (answer) {
            return settle(item, response.status, answer);
          });
      },
      function () {
        note = panel.dataset.textOffline;
        return "stop";
      }
    );
  }

  function settle(item, status, answer) {
    if (status >= 200 && status < 300 && answer.tracking_number) {
      return put(SENT, {
        tracking_number: answer.tracking_number,
        slip_url: answer.slip_url,
        label: item.label,
        sent_at: Date.now(),
      })
        .then(function () {
          return remove(FILINGS, item.key);
        })
        .then(function () {
          return "sent";
        });
    }
    if (answer.reason && status !== 429 && status < 500) {
      item.state = "rejected";
      item.reason = answer.reason;
      return put(FILINGS, item).then(function () {
        return "rejected";
      });
    }
    // Not an answer about this filing: signed out, too many tries, a server
    // in trouble. The filing waits and the whole queue is tried later.
    if (answer.reason) {
      note = answer.reason;
    } else if (status === 401 || status === 403) {
      note = panel.dataset.textSignIn;
    } else {
      note = panel.dataset.textLater;
    }
    return "stop";
  }

  function sync() {
    if (syncing) {
      return Promise.resolve();
    }
    if (!navigator.onLine) {
      note = panel.dataset.textOffline;
      return render();
    }
    syncing = true;
    note = "";
    return all(FILINGS)
      .then(function (items) {
        const waiting = items
          .filter(function (item) {
            return item.state === "waiting";
          })
          .sort(function (a, b) {
            return a.queued_at - b.queued_at;
          });
        return waiting.reduce(function (previous, item) {
          return previous.then(function (outcome) {
            return outcome === "stop" ? "stop" : send(item);
          });
        }, Promise.resolve("start"));
      })
      .then(forgetOldSent)
      .finally(function () {
        syncing = false;
        return render();
      });
  }

  function forgetOldSent() {
    const limit = Date.now() - SENT_KEPT_MS;
    return all(SENT).then(function (sent) {
      return Promise.all(
        sent
          .filter(function (entry) {
            return entry.sent_at < limit;
          })
          .map(function (entry) {
            return remove(SENT, entry.tracking_number);
          })
      );
    });
  }

  function add(item) {
    item.state = "waiting";
    item.reason = "";
    item.queued_at = Date.now();
    return put(FILINGS, item).then(function () {
      render();
      sync();
    });
  }

  function retry(item) {
    item.state = "waiting";
    item.reason = "";
    return put(FILINGS, item).then(sync);
  }

  function rejectedRow(item) {
    const template = panel.querySelector("[data-rejected-template]");
    const row = template.content.firstElementChild.cloneNode(true);
    row.querySelector("[data-label]").textContent = item.label;
    row.querySelector("[data-reason]").textContent = item.reason;
    row.querySelector("[data-retry]").addEventListener("click", function () {
      retry(item);
    });
    row.querySelector("[data-remove]").addEventListener("click", function () {
      if (window.confirm(panel.dataset.textRemove)) {
        remove(FILINGS, item.key).then(render);
      }
    });
    return row;
  }

  function sentRow(entry) {
    const template = panel.querySelector("[data-sent-template]");
    const row = template.content.firstElementChild.cloneNode(true);
    row.querySelector("[data-label]").textContent = entry.label;
    row.querySelector("[data-tracking]").textContent = entry.tracking_number;
    row.querySelector("[data-slip]").href = entry.slip_url;
    return row;
  }

  function render() {
    return Promise.all([all(FILINGS), all(SENT)]).then(function (stores) {
      const filings = stores[0];
      const sent = stores[1].sort(function (a, b) {
        return b.sent_at - a.sent_at;
      });
      const waiting = filings.filter(function (item) {
        return item.state === "waiting";
      });
      const rejected = filings.filter(function (item) {
        return item.state === "rejected";
      });
      if (!navigator.onLine) {
        note = panel.dataset.textOffline;
      }

      panel.querySelector("[data-waiting-count]").textContent = String(waiting.length);
      panel.querySelector("[data-queue-note]").textContent = note;
      panel.querySelector("[data-rejected]").replaceChildren(...rejected.map(rejectedRow));
      panel.querySelector("[data-sent]").replaceChildren(...sent.map(sentRow));
      panel.querySelector("[data-rejected-box]").hidden = rejected.length === 0;
      panel.querySelector("[data-sent-box]").hidden = sent.length === 0;
      panel.hidden = !note && filings.length === 0 && sent.length === 0;
      panel.dataset.waiting = String(waiting.length);
    });
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
  window.addEventListener("online", sync);
  window.addEventListener("offline", render);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      sync();
    }
  });
  window.setInterval(sync, RETRY_EVERY_MS);

  window.volunteerQueue = { add: add, sync: sync };
  sync();
})();
