// While a run works, ask for its progress every two seconds; reload the page
// once it is over so that the results appear. Without JavaScript, reloading
// by hand shows the same.
(function () {
  var box = document.getElementById("run-progress");
  if (!box || box.dataset.working !== "true") {
    return;
  }
  var bar = box.querySelector("progress");

  function show(state) {
    bar.value = state.progress;
    box.querySelectorAll("[data-field]").forEach(function (element) {
      element.textContent = state[element.dataset.field];
    });
  }

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (state.working) {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }

  window.setTimeout(poll, 2000);
})();
